/**
 * Bundles a JS/TypeScript operator and everything it imports (the SDK, npm packages) into one
 * classic script for QuickJS, with esbuild. esbuild is loaded only here, so the host never
 * pays for it. The script imports the author's entry and registers its exports with the SDK.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmOperatorError } from '../../../errors.ts';

/** The specifier operator authors import the SDK by. */
export const SDK_SPECIFIER = 'wasm-operator/js';
/** The SDK's entry, shipped with wasm-operator. */
export const SDK_ENTRY = fileURLToPath(new URL('../../../../sdk/js/src/index.ts', import.meta.url));

/**
 * QuickJS 2021-03-27 parses ES2020; esbuild lowers newer syntax (class static blocks, `??=`,
 * top-level await is refused) to it.
 */
export const ENGINE_LANGUAGE_TARGET = 'es2020';

/** esbuild refused the operator's sources; its messages (file:line: text) are in ours. */
export class BundleError extends WasmOperatorError {
  constructor(entry: string, details: string, cause?: unknown) {
    super('JS_BUNDLE_FAILED', `could not bundle ${entry}:\n${details}`, { entry }, { cause });
  }
}

export interface BundleOptions {
  /** Minify names too (smaller image, less readable stack traces). Default false. */
  minify?: boolean;
}

/** Returns the operator's bundled script (UTF-8 JavaScript). */
export async function bundleOperator(entry: string, options: BundleOptions = {}): Promise<string> {
  const absolute = path.resolve(entry);
  if (!existsSync(absolute)) throw new BundleError(entry, 'the entry file does not exist');
  const esbuild = await import('esbuild');
  const wrapper = [
    `import * as operator from ${JSON.stringify(absolute)};`,
    `import { registerOperator } from ${JSON.stringify(SDK_SPECIFIER)};`,
    'registerOperator(operator);',
  ].join('\n');
  try {
    const result = await esbuild.build({
      stdin: { contents: wrapper, resolveDir: path.dirname(absolute), sourcefile: 'wasm-operator-entry.js', loader: 'js' },
      bundle: true,
      write: false,
      format: 'iife',
      // No Node built-ins in the engine; packages' browser builds are the closest fit.
      platform: 'browser',
      target: ENGINE_LANGUAGE_TARGET,
      alias: { [SDK_SPECIFIER]: SDK_ENTRY },
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: options.minify ?? false,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
    });
    const file = result.outputFiles[0];
    if (!file) throw new BundleError(entry, 'esbuild produced no output');
    return file.text;
  } catch (err) {
    if (err instanceof BundleError) throw err;
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const details = errors?.length
      ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('\n')
      : String(err);
    throw new BundleError(entry, details, err);
  }
}
