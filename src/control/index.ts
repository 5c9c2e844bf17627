/** The control plane: the WasmOperator custom resource and what serves it. */
export { plural, wasmOperatorCrd, type CustomResourceDefinition } from './wasm-operator-crd.ts';
export { startLocalHost, type LocalHost, type LocalHostOptions } from './local-host.ts';
export { applyDocuments, ApplyError } from './apply-documents.ts';
export { PrometheusMetrics } from './metrics.ts';
export { startStatusServer, type StatusServer } from './status-server.ts';
