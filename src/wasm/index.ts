/**
 * The wasm engine: load and rewrite modules, run instances (WASI shim, JSPI calls, deadlines,
 * memory limits), and snapshot and restore them exactly. Everything other folders may use.
 */
export { WasmEngine } from './wasm-engine.ts';
export { collectGarbage } from './memory-reclaimer.ts';
export type { EngineOptions, LoadOptions, RestoreOptions, SnapshotOptions } from './wasm-engine.ts';
export { WasmModule } from './wasm-module.ts';
export { WasmInstance } from './wasm-instance.ts';
export type { CallOptions, InstanceOptions, InstancePhase } from './wasm-instance.ts';
export type { HostImport } from './host-import.ts';
export type { ExportSpec, FunctionSignature, ImportSpec } from './module-checks.ts';
export type { ValueType } from './binary/module-parser.ts';
export { manifestSectionName, moduleDigest, readManifest, wasmPageBytes } from './module-loader.ts';
export { imageSectionName } from './module-image.ts';
export type { ModuleCode } from './module-code.ts';
export type { MemoryUsage } from './memory-accounting.ts';
export type { ClockReading, WasiClock, WasiOptions } from './wasi/wasi-shim.ts';
export type { SnapshotRole, SnapshotStore } from './snapshot/snapshot-store.ts';
export { FsSnapshotStore } from './snapshot/fs-snapshot-store.ts';
export type { StoreFileSystem } from './snapshot/fs-snapshot-store.ts';
export { MemorySnapshotStore } from './snapshot/memory-snapshot-store.ts';
export { decodeSnapshot } from './snapshot/snapshot-decoder.ts';
export type { RestoreTarget } from './snapshot/snapshot-decoder.ts';
export { autoCompressMaxBytes, encodeSnapshot } from './snapshot/snapshot-encoder.ts';
export type { EncodedSnapshot, SnapshotCompression, SnapshotSource } from './snapshot/snapshot-encoder.ts';
export { bufferBytes, openSnapshot, verifySnapshot } from './snapshot/snapshot-file.ts';
export type { OpenedSnapshot, SnapshotBytes } from './snapshot/snapshot-file.ts';
export { decodeHeader, formatVersion as snapshotFormatVersion } from './snapshot/snapshot-format.ts';
export type { SnapshotClock, SnapshotCodec, SnapshotHeader, SnapshotLayout } from './snapshot/snapshot-format.ts';
export type { BaseImage } from './snapshot/chunk-plan.ts';
export {
  GuestDeadlineError, GuestError, GuestExitError, GuestMemoryLimitError, GuestMemoryRangeError, GuestTrapError, HostFunctionError,
  InstanceBusyError, InstanceCreateError, InstanceUnusableError, InvalidCallError, ModuleError, SnapshotError, SnapshotWriteError,
} from './errors.ts';
export type { GuestErrorCode, ModuleErrorCode, SnapshotErrorCode } from './errors.ts';
