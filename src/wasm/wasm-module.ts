import type { FuncType } from './binary/module-parser.ts';
import type { ModuleCode } from './module-code.ts';
import type { ExportSpec, ImportSpec } from './module-checks.ts';
import type { StateGlobal } from './rewrite/rewrite-module.ts';
import type { OpenedSnapshot } from './snapshot/snapshot-file.ts';

/**
 * A loaded module: its identity (digest, manifest, pre-initialised image) and its compiled
 * code, which it shares with every module that differs from it only in custom sections. One
 * WasmModule serves every instance of it (one per operator that runs it); it never holds any
 * instance's state.
 */
export class WasmModule {
  /** Where the bytes came from (a path, a ConfigMap key, a URL), for messages. */
  readonly source: string;
  /** `sha256:<hex>` of the original bytes, custom sections included; snapshots name it, so one never restores into another module. */
  readonly digest: string;
  /** Size of the original bytes. */
  readonly sizeBytes: number;
  /** The parsed JSON of the `wasm-operator.manifest` custom section, if the module has one. */
  readonly manifest: Readonly<Record<string, unknown>> | undefined;
  /**
   * The verified snapshot in the `wasm-operator.image` custom section, if the module has one:
   * a cold start restores it instead of running the module's initialization.
   */
  readonly image: OpenedSnapshot | undefined;
  /** The rewritten, compiled code (shared). */
  readonly code: ModuleCode;

  constructor(fields: { source: string; digest: string; sizeBytes: number; manifest: Record<string, unknown> | undefined; image: OpenedSnapshot | undefined; code: ModuleCode }) {
    this.source = fields.source;
    this.digest = fields.digest;
    this.sizeBytes = fields.sizeBytes;
    this.manifest = fields.manifest;
    this.image = fields.image;
    this.code = fields.code;
  }

  get compiled(): WebAssembly.Module {
    return this.code.compiled;
  }

  /** The memory limit the rewriter capped the module's memory at, in 64 KiB pages. */
  get maxMemoryPages(): number {
    return this.code.maxMemoryPages;
  }

  /** Every mutable global, in the order snapshots store them. */
  get stateGlobals(): readonly StateGlobal[] {
    return this.code.stateGlobals;
  }

  /** Imports the module needs from the host (WASI excluded), as `module.name` strings. */
  get hostImportNames(): string[] {
    return this.code.hostImportNames;
  }

  /** The signature of an export of the module's own, or undefined when it has no such function. */
  exportType(name: string): FuncType | undefined {
    return this.code.exportType(name);
  }

  /** Throws ModuleError unless every import is among `provided` (or WASI) and every required export exists with its type. */
  check(provided: readonly ImportSpec[], required: readonly ExportSpec[]): void {
    this.code.check(this.source, provided, required);
  }
}
