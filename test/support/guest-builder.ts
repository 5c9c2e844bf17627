/**
 * Test support: builds the raw test guests of test/guests/ (not operators: those go through
 * `wasm-operator build`, src/build/, which adds the SDK) from source: AssemblyScript through
 * its compiler API, C through Debian's clang for wasm32-wasi (reactor model). Results are
 * cached by a hash of the sources, flags and compiler version, so a repeated build costs one
 * file read.
 *
 * Cached files are written to a temporary name and renamed, so builds running in parallel
 * (test files run concurrently) never see half a file.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WasmOperatorError } from '../../src/errors.ts';

const run = promisify(execFile);

/** A guest did not build: the message names it and carries the compiler's diagnostics. */
export class GuestBuildError extends WasmOperatorError {
  constructor(guest: string, problem: string, cause?: unknown) {
    super('GUEST_BUILD_FAILED', `guest ${guest} ${problem}`, { guest }, { cause });
  }
}

export type GuestLanguage = 'c' | 'assemblyscript';

export interface GuestSource {
  /** Names the output file and appears in messages. */
  name: string;
  language: GuestLanguage;
  /**
   * Every source file of the guest (they are all hashed for the cache). For AssemblyScript
   * the first is the entry file; for C all are compiled and linked.
   */
  files: readonly string[];
  /** Extra compiler flags, after the defaults. */
  flags?: readonly string[];
}

export interface BuildOptions {
  /** Where built modules are cached (created if missing). */
  cacheDir: string;
}

export interface BuiltGuest {
  path: string;
  bytes: Uint8Array;
  /** True when the module came from the cache. */
  cached: boolean;
}

/**
 * C defaults: a reactor (exports are called after `_initialize`), the shadow stack placed
 * first so an overflow traps instead of silently overwriting data, 64 KiB of it.
 */
export const defaultClangFlags = ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-Wl,--stack-first', '-Wl,-z,stack-size=65536'];

/**
 * AssemblyScript defaults: optimized, WASI through @assemblyscript/wasi-shim (abort and
 * console go to stderr), and the start function exported as `_initialize`, the reactor
 * convention.
 */
export const defaultAscFlags = ['-O3', '--runtime', 'incremental', '--exportStart', '_initialize'];

const versions = new Map<GuestLanguage, Promise<string>>();

function compilerVersion(language: GuestLanguage): Promise<string> {
  let version = versions.get(language);
  if (version === undefined) {
    version = language === 'c'
      ? run('clang', ['--version']).then((r) => r.stdout, (err: unknown) => {
        throw new GuestBuildError('clang (wasm32-wasi)', 'is not installed; install Debian packages clang, lld, wasi-libc and libclang-rt-dev-wasm32 (.ci/run does)', err);
      })
      : fsp.readFile(new URL(import.meta.resolve('assemblyscript/package.json')), 'utf8').then((text) => `assemblyscript ${(JSON.parse(text) as { version: string }).version}`);
    versions.set(language, version);
  }
  return version;
}

async function cacheKey(source: GuestSource): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${source.language}\0${await compilerVersion(source.language)}\0${(source.flags ?? []).join('\0')}\0`);
  for (const file of source.files) hash.update(`${path.basename(file)}\0`).update(await fsp.readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 20);
}

export async function buildGuest(source: GuestSource, options: BuildOptions): Promise<BuiltGuest> {
  if (source.files.length === 0) throw new GuestBuildError(source.name, 'lists no source files');
  const output = path.join(options.cacheDir, `${source.name}-${await cacheKey(source)}.wasm`);
  try {
    return { path: output, bytes: await fsp.readFile(output), cached: true };
  } catch {
    // not cached yet
  }
  await fsp.mkdir(options.cacheDir, { recursive: true });
  const tmp = `${output}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    if (source.language === 'c') await compileC(source, tmp);
    else await compileAssemblyScript(source, tmp);
    await fsp.rename(tmp, output);
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  return { path: output, bytes: await fsp.readFile(output), cached: false };
}

async function compileC(source: GuestSource, output: string): Promise<void> {
  try {
    await run('clang', [...defaultClangFlags, ...(source.flags ?? []), '-o', output, ...source.files], { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new GuestBuildError(source.name, `failed to compile with clang:\n${stderr.trim()}`, err);
  }
}

/**
 * The WASI shim's options as flags. asc lists a library folder by joining it to its working
 * directory (even an absolute one), so the folder is passed relative to that directory.
 */
async function wasiShimFlags(): Promise<string[]> {
  const configUrl = new URL(import.meta.resolve('@assemblyscript/wasi-shim/asconfig.json'));
  const config = JSON.parse(await fsp.readFile(configUrl, 'utf8')) as { options: { lib: string; use: string[] } };
  const lib = path.relative(process.cwd(), fileURLToPath(new URL(config.options.lib, configUrl)));
  return ['--lib', lib, '--use', config.options.use.join(',')];
}

async function compileAssemblyScript(source: GuestSource, output: string): Promise<void> {
  const { default: asc } = await import('assemblyscript/asc');
  const stderr: string[] = [];
  const result = await asc.main([
    source.files[0]!, '--outFile', output, ...(await wasiShimFlags()), ...defaultAscFlags, ...(source.flags ?? []),
  ], {
    stdout: { write: () => true },
    stderr: { write: (text: string | Uint8Array) => (stderr.push(String(text)), true) },
  } as Parameters<typeof asc.main>[1]);
  if (result.error !== null && result.error !== undefined) {
    throw new GuestBuildError(source.name, `failed to compile with AssemblyScript:\n${stderr.join('').trim() || result.error.message}`, result.error);
  }
}
