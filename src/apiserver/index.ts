/**
 * The embedded Kubernetes API server (DESIGN.md decision 8). Nothing outside this folder
 * imports its internals: the host and tests reach it over HTTP, like any cluster.
 */
export { startApiServer, ApiServerStartError, type ApiServer, type ApiServerOptions } from './api-server.ts';
export { buildKubeconfig, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.ts';
export type { SchemaHooks, AdmissionRequest, AdmissionResult, TableColumn, TableRows, FieldValidation } from './schema-hooks.ts';
export type { PatchEngine, PatchRequest } from './handlers/patch-engine.ts';
export { SchemaSupport, type SchemaTarget, type WriteRequest } from './schema-support.ts';
