/** The control plane: the WasmOperator custom resource and what serves it. */
export { plural, wasmOperatorCrd, type CustomResourceDefinition } from './wasm-operator-crd.ts';
