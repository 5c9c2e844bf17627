/**
 * How `wasm-operator build` turns an entry file into a wasm module: one `Toolchain` per
 * source language, each in its own file under `toolchains/` and listed once in
 * `toolchains/index.ts`.
 */

/** The languages `--lang` accepts. */
export type Lang = 'as' | 'c' | 'js' | 'go';

export const LANGS: readonly Lang[] = ['as', 'c', 'js', 'go'];

/** What a toolchain is given besides the entry file. */
export interface ToolchainOptions {
  /** false for a debug build (names kept, no optimisation). */
  readonly optimize: boolean;
  /**
   * Every file the toolchain reads (absolute paths), added as it reads them. The build cache
   * hashes them to decide whether a cached module is still current; a toolchain that adds
   * nothing is never cached.
   */
  readonly inputs: Set<string>;
  /** Compiler flags after the toolchain's own (`wasm-operator build … -- <flags>`), e.g. `--runtime incremental`. */
  readonly flags?: readonly string[];
  /** Progress for humans (stderr in the CLI). */
  log(message: string): void;
  /**
   * Where toolchains keep what they build once and share between operators (the JS engine,
   * QuickJS's sources). Default: `wasm-operator` in the user's cache folder.
   */
  readonly toolsCacheDir?: string;
}

/**
 * A compiler for one source language. `build` resolves to a wasm32 module that exports
 * the ABI (docs/abi.md) and has no manifest section yet (the caller embeds it), or rejects
 * with a `BuildError` whose message shows the compiler's diagnostics.
 */
export interface Toolchain {
  readonly lang: Lang;
  /** Part of the cache key: change it when the same inputs would give a different module. */
  readonly version: string;
  build(entry: string, options: ToolchainOptions): Promise<Uint8Array>;
}
