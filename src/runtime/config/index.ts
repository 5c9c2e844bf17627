/** The WasmOperator schema and everything derived from it: types, validation, loading, resolution. */
export {
  group,
  moduleManifest,
  moduleSource,
  version,
  wasmOperatorApiVersion,
  wasmOperatorKind,
  wasmOperatorSchema,
  wasmOperatorSpec,
  type ModuleManifest,
  type ModuleSource,
  type WasmOperator,
  type WasmOperatorSpec,
} from './wasm-operator-schema.ts';
export { statusPhase, statusPhases, statusSchema, type StatusPhase, type WasmOperatorStatus } from './wasm-operator-status.ts';
export { parseOperatorsYaml, type DocumentPosition, type LoadedOperators, type LoadOptions } from './load-operators.ts';
export { builtInDefaults, parseModuleManifest, parseWasmOperator, resolveOperator, type OperatorSettings } from './resolve-operator.ts';
export { mergePatch } from './merge-patch.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { formatBytes, parseByteSize, parseQuantity } from './quantity.ts';
export { parseIdlePolicy } from './idle-policy-spec.ts';
export { fieldRows, markdownTable, toOpenApi, type FieldRow, type OpenApiSchema } from './schema/index.ts';
