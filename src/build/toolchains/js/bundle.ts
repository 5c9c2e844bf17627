/**
 * Bundles a JS/TypeScript operator and everything it imports (the SDK, npm packages) into one
 * classic script for QuickJS, with esbuild. esbuild is loaded only here, so the host never
 * pays for it. The script imports the author's entry and registers its exports with the SDK.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BuildError } from '../../errors.ts';
import { projectPath } from '../../../project-path.ts';

/** The specifier operator authors import the SDK by. */
export const SDK_SPECIFIER = 'wasm-operator/js';
/** The SDK's entry, shipped with wasm-operator. */
export const SDK_ENTRY = projectPath('sdk', 'js', 'src', 'index.ts');

/**
 * QuickJS 2021-03-27 parses ES2020; esbuild lowers newer syntax (class static blocks, `??=`,
 * top-level await is refused) to it.
 */
export const ENGINE_LANGUAGE_TARGET = 'es2020';

/** esbuild refused the operator's sources; its messages (file:line: text) are in ours. */
export class BundleError extends BuildError {
  constructor(entry: string, details: string, cause?: unknown) {
    super(`could not bundle ${entry}:\n${details}`, { entry, lang: 'js' }, { cause });
  }
}

export interface BundleOptions {
  /** Minify names too (smaller image, less readable stack traces). Default false. */
  minify?: boolean;
}

/** The bundled script and every file that went into it (absolute paths). */
export interface Bundle {
  script: string;
  inputs: string[];
}

/** Bundles the operator whose entry is `entry`. */
export async function bundleOperator(entry: string, options: BundleOptions = {}): Promise<Bundle> {
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
      metafile: true,
    });
    const file = result.outputFiles[0];
    if (!file) throw new BundleError(entry, 'esbuild produced no output');
    // metafile paths are relative to esbuild's working directory; the stdin wrapper is no file
    const inputs = Object.keys(result.metafile.inputs).filter((p) => p !== '<stdin>').map((p) => path.resolve(p));
    return { script: file.text, inputs };
  } catch (err) {
    if (err instanceof BundleError) throw err;
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const details = errors?.length
      ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('\n')
      : String(err);
    throw new BundleError(entry, details, err);
  }
}
