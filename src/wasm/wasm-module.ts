import type { DataRange, FuncType, ParsedModule } from './binary/module-parser.ts';
import { checkExports, checkImports, exportType } from './module-checks.ts';
import type { ExportSpec, ImportSpec } from './module-checks.ts';
import type { StateGlobal } from './rewrite/rewrite-module.ts';

/**
 * A loaded module: rewritten, compiled once, and shared by every instance of it (one per
 * operator that runs it). Holds what instances and snapshots need to know about the module;
 * never any instance's state.
 */
export class WasmModule {
  /** Where the bytes came from (a path, a ConfigMap key, a URL), for messages. */
  readonly source: string;
  /** `sha256:<hex>` of the original bytes; snapshots name it, so one never restores into another module. */
  readonly digest: string;
  /** Size of the original bytes. */
  readonly sizeBytes: number;
  readonly compiled: WebAssembly.Module;
  /** The parsed JSON of the `wasm-operator.manifest` custom section, if the module has one. */
  readonly manifest: Readonly<Record<string, unknown>> | undefined;
  /** The memory limit the rewriter capped the module's memory at, in 64 KiB pages. */
  readonly maxMemoryPages: number;
  readonly stateGlobals: readonly StateGlobal[];
  /** The exported former start function, run once on a cold start. */
  readonly startExport: string | undefined;
  /** Whether the module exports WASI's `_initialize` (run once on a cold start, after the start function). */
  readonly hasInitialize: boolean;
  /** Where active data segments write: on restore these bytes are cleared before the snapshot's pages land. */
  readonly dataRanges: readonly DataRange[];
  /** Names of the functions the module itself exports. */
  readonly functionExports: readonly string[];
  readonly #parsed: ParsedModule;

  constructor(fields: {
    source: string; digest: string; sizeBytes: number; compiled: WebAssembly.Module; manifest: Record<string, unknown> | undefined;
    maxMemoryPages: number; stateGlobals: StateGlobal[]; startExport: string | undefined; parsed: ParsedModule;
  }) {
    this.source = fields.source;
    this.digest = fields.digest;
    this.sizeBytes = fields.sizeBytes;
    this.compiled = fields.compiled;
    this.manifest = fields.manifest;
    this.maxMemoryPages = fields.maxMemoryPages;
    this.stateGlobals = fields.stateGlobals;
    this.startExport = fields.startExport;
    this.#parsed = fields.parsed;
    this.functionExports = fields.parsed.exports.filter((e) => e.kind === 'func').map((e) => e.name);
    this.hasInitialize = this.functionExports.includes('_initialize');
    this.dataRanges = fields.parsed.dataRanges;
  }

  /** Imports the module needs from the host (WASI excluded), as `module.name` strings. */
  get hostImportNames(): string[] {
    return this.#parsed.imports.filter((i) => i.module !== 'wasi_snapshot_preview1').map((i) => `${i.module}.${i.name}`);
  }

  /** The signature of an export of the module's own, or undefined when it has no such function. */
  exportType(name: string): FuncType | undefined {
    return exportType(this.#parsed, name);
  }

  /** Throws ModuleError unless every import is among `provided` (or WASI) and every required export exists with its type. */
  check(provided: readonly ImportSpec[], required: readonly ExportSpec[]): void {
    checkImports(this.#parsed, this.source, provided);
    checkExports(this.#parsed, this.source, required);
  }
}
