import type { DataRange, FuncType, ParsedModule } from './binary/module-parser.ts';
import { checkExports, checkImports, exportType } from './module-checks.ts';
import type { ExportSpec, ImportSpec } from './module-checks.ts';
import type { StateGlobal } from './rewrite/rewrite-module.ts';

/**
 * A module's code, rewritten and compiled once, and shared by every WasmModule whose bytes
 * differ only in custom sections: every JavaScript operator is the same engine module plus
 * its own manifest and image sections, so they all share one compiled engine. Holds what
 * instances and snapshots need to know about the code; never anything about one operator.
 */
export class ModuleCode {
  /** `sha256:<hex>` of the module without its custom sections: the compile cache's key, and the digest a pre-initialised image names. */
  readonly digest: string;
  readonly compiled: WebAssembly.Module;
  /** The memory limit the rewriter capped the module's memory at, in 64 KiB pages. */
  readonly maxMemoryPages: number;
  /** The memory the module starts with, in 64 KiB pages. */
  readonly initialMemoryPages: number;
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
    digest: string; compiled: WebAssembly.Module; maxMemoryPages: number; stateGlobals: StateGlobal[]; startExport: string | undefined; parsed: ParsedModule;
  }) {
    this.digest = fields.digest;
    this.compiled = fields.compiled;
    this.maxMemoryPages = fields.maxMemoryPages;
    this.stateGlobals = fields.stateGlobals;
    this.startExport = fields.startExport;
    this.#parsed = fields.parsed;
    this.initialMemoryPages = fields.parsed.memories[0]?.min ?? 0;
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

  /** Throws ModuleError (naming `source`) unless every import is among `provided` (or WASI) and every required export exists with its type. */
  check(source: string, provided: readonly ImportSpec[], required: readonly ExportSpec[]): void {
    checkImports(this.#parsed, source, provided);
    checkExports(this.#parsed, source, required);
  }
}
