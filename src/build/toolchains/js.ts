/**
 * The `js` toolchain of `wasm-operator build`: a JavaScript/TypeScript operator becomes the
 * shared JS engine module, unchanged, plus a custom section holding its pre-initialised image
 * (the engine's memory after evaluating the operator's bundled script). Every JS operator
 * therefore carries the same engine code, which the host compiles once.
 */
import { bundleOperator } from './js/bundle.ts';
import { buildJsEngine } from './js/engine-build.ts';
import { preinitialise } from './js/preinit.ts';
import { IMAGE_SECTION } from './js/preinit-image.ts';
import { appendCustomSection } from './js/wasm-sections.ts';

export interface JsBuildOptions {
  /** Where the engine and QuickJS's sources are cached between builds. */
  cacheDir: string;
  /** Minify the bundle's names too. Default false (readable stack traces). */
  minify?: boolean;
}

/** Everything one build produced, with the sizes `wasm-operator build` and the benchmarks report. */
export interface JsBuildResult {
  /** The operator's .wasm (the manifest section is added by the build command). */
  module: Uint8Array;
  engineBytes: number;
  scriptBytes: number;
  imageBytes: number;
  /** The engine's linear memory right after loading the script. */
  memoryBytes: number;
  /** What the script logged while it was evaluated at build time. */
  logs: string[];
}

/** Bundles `entry`, evaluates it in the engine and embeds the image. */
export async function buildJsOperator(entry: string, options: JsBuildOptions): Promise<JsBuildResult> {
  const [engine, script] = await Promise.all([buildJsEngine(options.cacheDir), bundleOperator(entry, { minify: options.minify ?? false })]);
  const pre = await preinitialise(engine.bytes, script);
  return {
    module: appendCustomSection(engine.bytes, IMAGE_SECTION, pre.image),
    engineBytes: engine.bytes.length,
    scriptBytes: new TextEncoder().encode(script).length,
    imageBytes: pre.image.length,
    memoryBytes: pre.memoryBytes,
    logs: pre.logs,
  };
}

/** The registry entry for `--lang js`. */
export const jsToolchain = {
  lang: 'js',
  async build(entry: string, options: JsBuildOptions): Promise<Uint8Array> {
    return (await buildJsOperator(entry, options)).module;
  },
};
