/** The control plane: the WasmOperator custom resource and what serves it. */
export { plural, wasmOperatorCrd, type CustomResourceDefinition } from './wasm-operator-crd.ts';
export { startLocalHost, type LocalHost, type LocalHostOptions } from './local-host.ts';
export { applyDocuments, ApplyError } from './apply-documents.ts';
export { PrometheusMetrics } from './metrics.ts';
export { hostStatusSource, startStatusServer, type StatusServer, type StatusSource } from './status-server.ts';
export { startClusterHost, type ClusterHost, type ClusterHostOptions, type LeaderElectionSettings } from './cluster-host.ts';
export { cleanupFinalizer, wasmOperatorResource, WasmOperatorController, type WasmOperatorControllerOptions } from './controller/wasm-operator-controller.ts';
export { defaultInstallOptions, installManifests, manifestsYaml, type InstallOptions, type Manifest } from './install/install-manifests.ts';
