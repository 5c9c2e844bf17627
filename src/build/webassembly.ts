/**
 * The part of the `WebAssembly` global that the build tools and their tests use, typed here
 * because the project's TypeScript libs (es2024, no DOM) do not declare `WebAssembly`.
 * Replace with the global once a shared declaration exists.
 */

/** An opaque compiled module. */
export type CompiledModule = { readonly __compiledModule: unique symbol };

export interface ModuleEntry {
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
}

export interface ModuleImport extends ModuleEntry {
  module: string;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<CompiledModule>;
  /** JSPI: an import returning a promise suspends the calling wasm stack until it settles. */
  Suspending: new (fn: (...args: never[]) => Promise<unknown>) => object;
  /** JSPI: an export that may suspend, as a function returning a promise. */
  promising(fn: unknown): (...args: number[]) => Promise<unknown>;
  instantiate(module: CompiledModule, imports: Record<string, Record<string, unknown>>): Promise<{ exports: Record<string, unknown> }>;
  Module: {
    new (bytes: Uint8Array): CompiledModule;
    exports(module: CompiledModule): ModuleEntry[];
    imports(module: CompiledModule): ModuleImport[];
    customSections(module: CompiledModule, name: string): ArrayBuffer[];
  };
}

/** The `WebAssembly` global, typed. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
