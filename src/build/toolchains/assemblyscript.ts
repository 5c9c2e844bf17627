/**
 * AssemblyScript operators: `asc` (the `assemblyscript` npm package, no system toolchain)
 * compiles the author's `assembly/index.ts` together with the SDK in `sdk/assemblyscript/`.
 *
 * The author's file exports `reconcile` (and maybe `init`); a generated entry file next to
 * it adds the ABI exports. Imports of `wasm-operator/assemblyscript` resolve to this
 * package's own SDK, whatever a project's node_modules hold, so a module is always built
 * with the SDK that matches the CLI building it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../../project-path.ts';
import { BuildError } from '../errors.ts';
import type { Toolchain, ToolchainOptions } from '../toolchain.ts';

const SDK_DIR = projectPath('sdk', 'assemblyscript', 'assembly');
const SDK_IMPORT = 'wasm-operator/assemblyscript';
// asc looks packages up as <dir>/node_modules/<package>/<subpath>.ts while walking up
const SDK_PROBE = `${path.sep}node_modules${path.sep}${SDK_IMPORT.replace('/', path.sep)}${path.sep}`;
const MAIN = '__wasm_operator_main.ts';
const OUT = 'operator.wasm';

/**
 * Compiler flags, and why:
 * - `minimal` runtime: TLSF plus a collector that runs only when the SDK calls it at the end
 *   of each export, so no shadow stack and no state outside linear memory and globals. What a
 *   call allocates stays until it returns: an operator that touches thousands of objects in
 *   one reconcile can pass `-- --runtime incremental` (collects during the call; measured on
 *   webapp: 40 KB instead of 24, 128 KiB resident instead of 64);
 * - `-O3s`: measured on the webapp example, within a few hundred bytes of `-Oz` and twice as fast;
 * - `_initialize`: top-level code runs when the host calls it (WASI reactor), not at instantiation;
 * - `--use`: AssemblyScript's `abort`, `trace` and `seed` imports become SDK functions, so the
 *   module imports only `wasm_operator` and `wasi_snapshot_preview1`.
 */
function ascArgs(main: string, baseDir: string, optimize: boolean): string[] {
  const hook = `~lib/${SDK_IMPORT}/exports`;
  return [
    main, '--baseDir', baseDir, '--outFile', OUT, '--runtime', 'minimal', '--exportStart', '_initialize',
    '--use', `abort=${hook}/onAbort`, '--use', `trace=${hook}/onTrace`, '--use', `seed=${hook}/onSeed`,
    '--noColors', '--config', 'wasm-operator-has-no-asconfig.json',
    ...(optimize ? ['-O3s'] : ['--debug']), ...(process.env.WO_ASC_DEBUG ? ['--debug'] : []),
  ];
}

function mainSource(entryModule: string): string {
  return `import * as operator from "./${entryModule}";
import { runInit, runReconcile } from "${SDK_IMPORT}/exports";
export { wo_abi_version, wo_alloc } from "${SDK_IMPORT}/exports";
if (!isDefined(operator.reconcile)) ERROR("${entryModule}.ts must export function reconcile(req: Request): Result");
export function wo_init(ptr: usize, len: usize): void {
  if (isDefined(operator.init)) runInit(ptr, len, operator.init);
  else runInit(ptr, len, null);
}
export function wo_reconcile(ptr: usize, len: usize): void {
  runReconcile(ptr, len, operator.reconcile);
}
`;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Compiles `entry` with the SDK on the import path. With `operator` (what `build` uses) the
 * module's entry is the generated one that adds the ABI exports; without, `entry` itself is
 * the module's entry (the SDK's own tests compile test modules this way).
 */
export async function compileAssemblyScript(
  entry: string,
  options: Pick<ToolchainOptions, 'optimize' | 'inputs' | 'flags'> & { operator: boolean },
): Promise<Uint8Array> {
  if (!entry.endsWith('.ts')) throw new BuildError(`${entry}: an AssemblyScript entry must be a .ts file`, { entry });
  const baseDir = path.dirname(path.resolve(entry));
  const mainName = options.operator ? MAIN : path.basename(entry);
  const main = options.operator ? mainSource(path.basename(entry, '.ts')) : undefined;
  const { default: asc } = await import('assemblyscript/asc');
  // The compiler and these flags are inputs too: a new asc or an edited flag invalidates the cache.
  options.inputs.add(fileURLToPath(import.meta.url));
  options.inputs.add(fileURLToPath(import.meta.resolve('assemblyscript/package.json')));
  let wasm: Uint8Array | undefined;
  const stderr = asc.createMemoryStream();
  const result = await asc.main([...ascArgs(mainName, baseDir, options.optimize), ...(options.flags ?? [])], {
    readFile: async (name: string, dir: string) => {
      if (main !== undefined && name === MAIN && path.resolve(dir) === baseDir) return main;
      const file = path.resolve(dir, name);
      const probe = file.lastIndexOf(SDK_PROBE);
      const resolved = probe >= 0 ? path.join(SDK_DIR, file.slice(probe + SDK_PROBE.length)) : file;
      const text = await readText(resolved);
      if (text !== null) options.inputs.add(resolved);
      return text;
    },
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name === OUT && typeof contents !== 'string') wasm = contents;
    },
    listFiles: () => [],
    stdout: asc.createMemoryStream(),
    stderr,
  });
  if (result.error || wasm === undefined) {
    const text = stderr.toString().trim() || String(result.error);
    throw new BuildError(`AssemblyScript build of ${entry} failed:\n${text}`, { entry, lang: 'as' }, { cause: result.error });
  }
  return wasm;
}

const assemblyScript: Toolchain = {
  lang: 'as',
  version: 'asc-minimal-O3s-1',
  build: (entry, options) => compileAssemblyScript(entry, { ...options, operator: true }),
};

export default assemblyScript;
