/**
 * `wasm-operator build`: entry file -> toolchain -> module -> manifest section -> bytes,
 * with a digest to pin it by (the form WasmOperator's `sha256` field takes).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { abiShapeProblems } from './abi-shape.ts';
import { BuildCache } from './build-cache.ts';
import { appendCustomSection, MANIFEST_SECTION } from './custom-section.ts';
import { BuildError } from './errors.ts';
import { findManifest, loadManifest, type ModuleManifest } from './manifest.ts';
import { loadToolchain } from './toolchains/index.ts';
import type { Lang } from './toolchain.ts';

export interface BuildOptions {
  /** Overrides the language picked from the entry's name. */
  lang?: Lang;
  /** The manifest file; by default `manifest.{yaml,yml,json}` beside the entry or in its parent. */
  manifest?: string;
  /** false for a debug build. Default true. */
  optimize?: boolean;
  /** Compiler flags after the toolchain's own; part of the cache key. */
  flags?: readonly string[];
  /** Where compiled modules are cached; null turns the cache off. Default `.cache/build` in the working directory. */
  cacheDir?: string | null;
  /** Passed to the toolchain (see ToolchainOptions.toolsCacheDir). */
  toolsCacheDir?: string;
  log?(message: string): void;
}

export interface BuildOutput {
  wasm: Uint8Array;
  sizeBytes: number;
  /** `sha256:<hex>` of `wasm`. */
  digest: string;
  lang: Lang;
  /** The manifest file embedded, if any. */
  manifestFile?: string;
  manifest?: ModuleManifest;
  /** True when the compiler did not run (an unchanged build was cached). */
  cached: boolean;
}

/**
 * The language of `entry`: `lang` when given; `.c` is C, `.go` Go, `.js` the JS SDK, and a
 * `.ts` inside an `assembly/` folder AssemblyScript. Any other `.ts` is ambiguous (it may be
 * AssemblyScript or TypeScript for the JS SDK) and needs `--lang`.
 */
export function pickLanguage(entry: string, lang?: Lang): Lang {
  if (lang !== undefined) return lang;
  const ext = path.extname(entry);
  if (ext === '.c') return 'c';
  if (ext === '.go') return 'go';
  if (ext === '.js' || ext === '.mjs') return 'js';
  if (ext === '.ts') {
    if (path.resolve(entry).split(path.sep).includes('assembly')) return 'as';
    throw new BuildError(`${entry}: a .ts entry outside an assembly/ folder may be AssemblyScript or TypeScript; pass --lang as or --lang js`, { entry });
  }
  throw new BuildError(`${entry}: cannot tell the language from "${ext || 'no extension'}"; pass --lang as|js|c|go`, { entry });
}

/** Builds the operator whose source starts at `entry`. Rejects with `BuildError` or `ManifestError`. */
export async function buildOperator(entry: string, options: BuildOptions = {}): Promise<BuildOutput> {
  const log = options.log ?? (() => {});
  const lang = pickLanguage(entry, options.lang);
  const manifestFile = options.manifest ?? (await findManifest(entry));
  // the manifest is checked first: a typo there should not cost a compile
  const manifest = manifestFile === undefined ? undefined : await loadManifest(manifestFile);
  if (manifestFile === undefined) log(`no manifest beside ${entry}: the WasmOperator resource must declare what it watches`);

  const toolchain = await loadToolchain(lang);
  const optimize = options.optimize ?? true;
  const cacheDir = options.cacheDir === undefined ? path.resolve('.cache', 'build') : options.cacheDir;
  const cache = cacheDir === null ? undefined : new BuildCache(cacheDir);
  const flags = options.flags ?? [];
  const key = BuildCache.key({ lang, version: toolchain.version, entry: path.resolve(entry), optimize, flags });

  let module = cache === undefined ? undefined : await cache.get(key);
  const cached = module !== undefined;
  if (module === undefined) {
    const inputs = new Set<string>();
    const toolchainOptions = { optimize, inputs, log, flags, ...(options.toolsCacheDir === undefined ? {} : { toolsCacheDir: options.toolsCacheDir }) };
    module = await toolchain.build(path.resolve(entry), toolchainOptions);
    const problems = abiShapeProblems(await WebAssembly.compile(module));
    if (problems.length > 0) {
      throw new BuildError(`${entry} built, but the module does not fit the operator ABI (docs/abi.md):\n${problems.map((p) => `  ${p}`).join('\n')}`, { entry, lang, problems });
    }
    if (cache !== undefined && inputs.size > 0) await cache.put(key, module, inputs);
  }
  const wasm = manifest === undefined
    ? module
    : appendCustomSection(module, MANIFEST_SECTION, new TextEncoder().encode(JSON.stringify(manifest)));
  const digest = `sha256:${createHash('sha256').update(wasm).digest('hex')}`;
  const output: BuildOutput = { wasm, sizeBytes: wasm.length, digest, lang, cached };
  if (manifestFile !== undefined) {
    output.manifestFile = manifestFile;
    output.manifest = manifest;
  }
  return output;
}
