/**
 * The `js` toolchain of `wasm-operator build`: a JavaScript/TypeScript operator becomes the
 * shared JS engine module, unchanged, plus a custom section holding its pre-initialised image
 * (a snapshot of the engine after evaluating the operator's bundled script). Every JS operator
 * therefore carries the same engine code, which the host compiles once and shares.
 */
import os from 'node:os';
import path from 'node:path';
import { imageSectionName, snapshotFormatVersion } from '../../wasm/index.ts';
import { appendCustomSection } from '../custom-section.ts';
import { BuildError } from '../errors.ts';
import type { Toolchain, ToolchainOptions } from '../toolchain.ts';
import { bundleOperator } from './js/bundle.ts';
import { buildJsEngine, ENGINE_SOURCES } from './js/engine-build.ts';
import { preinitialise } from './js/preinit.ts';
import { QUICKJS_PACKAGE } from './js/quickjs-source.ts';

export interface JsBuildOptions {
  /** Where the engine and QuickJS's sources are kept between builds. */
  cacheDir: string;
  /** Minify the bundle's names too. Default false (readable stack traces). */
  minify?: boolean;
  /** Receives every file the build read (bundled sources, the engine's glue). */
  inputs?: Set<string>;
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
  const [engine, bundle] = await Promise.all([buildJsEngine(options.cacheDir), bundleOperator(entry, { minify: options.minify ?? false })]);
  for (const input of bundle.inputs) options.inputs?.add(input);
  for (const file of ENGINE_SOURCES) options.inputs?.add(file);
  const pre = await preinitialise(engine.bytes, bundle.script);
  return {
    module: appendCustomSection(engine.bytes, imageSectionName, pre.image),
    engineBytes: engine.bytes.length,
    scriptBytes: new TextEncoder().encode(bundle.script).length,
    imageBytes: pre.image.length,
    memoryBytes: pre.memoryBytes,
    logs: pre.logs,
  };
}

/** The per-user cache, like npm's and esbuild's: the engine is built once per machine, not per project. */
function userCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'wasm-operator');
}

const js: Toolchain = {
  lang: 'js',
  // The image is a snapshot in the engine's format: a new format version needs new images.
  version: `js-quickjs-${QUICKJS_PACKAGE.version}-snapshot${snapshotFormatVersion}`,
  async build(entry: string, options: ToolchainOptions): Promise<Uint8Array> {
    try {
      const result = await buildJsOperator(entry, { cacheDir: options.toolsCacheDir ?? userCacheDir(), inputs: options.inputs });
      for (const line of result.logs) options.log(`${path.basename(entry)} (at build time): ${line}`);
      options.log(`engine ${result.engineBytes} bytes, script ${result.scriptBytes} bytes, image ${result.imageBytes} bytes (memory ${result.memoryBytes} bytes)`);
      return result.module;
    } catch (err) {
      if (err instanceof BuildError) throw err;
      const e = err as Error & { code?: string };
      throw new BuildError(`JS build of ${entry} failed: ${e.message}`, { entry, lang: 'js', code: e.code }, { cause: err });
    }
  },
};

export default js;
