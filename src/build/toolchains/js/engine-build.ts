/**
 * Builds the JS SDK's engine: QuickJS plus our ABI glue (sdk/js/engine/wo_engine.c) as one
 * wasm32-wasi reactor, compiled from source with the system clang into a cache folder. The
 * result is keyed by everything that goes into it (sources, flags, compiler version), so every
 * JS operator built on this machine carries a byte-identical engine, which is what lets the
 * host compile it once and share it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findClangWasi, runClang } from '../../clang-wasi.ts';
import { QUICKJS_C_FILES, QUICKJS_PACKAGE, quickJsSources } from './quickjs-source.ts';
import { projectPath } from '../../../project-path.ts';

const ENGINE_DIR = projectPath('sdk', 'js', 'engine');
/** The ABI glue, shipped with the SDK. */
export const ENGINE_GLUE = path.join(ENGINE_DIR, 'wo_engine.c');
/** Directed rounding for QuickJS's number printing (see wo_fenv.h). */
const FENV_SHIM = path.join(ENGINE_DIR, 'wo_fenv.c');
const FENV_HEADER = path.join(ENGINE_DIR, 'wo_fenv.h');
/** The ABI in C, shared with the C SDK. */
const ABI_HEADER_DIR = projectPath('sdk', 'c');
/** Every file of ours that goes into the engine (they key its cache). */
export const ENGINE_SOURCES = [ENGINE_GLUE, FENV_SHIM, FENV_HEADER, path.join(ABI_HEADER_DIR, 'wasm_operator.h')];

/** Shadow stack size; the glue lets QuickJS use less, so deep recursion throws RangeError. */
const STACK_BYTES = 256 * 1024;

// -Oz: the smallest code, which is also the fastest to compile lazily on a cold start; the
// interpreter's speed hardly matters for operators, which mostly wait on the host.
const COMMON_FLAGS = ['-Oz'];
const QUICKJS_FLAGS = [
  // QuickJS's switch for "no threads, no atomics, no malloc_usable_size": true of WASI too.
  '-DEMSCRIPTEN',
  // ... but the stack check works with wasm's shadow stack, so we keep it.
  '-DCONFIG_STACK_CHECK',
  // BigInt (npm libraries use it); libbf costs about 60 KB of code.
  '-DCONFIG_BIGNUM',
  '-D_GNU_SOURCE',
  `-DCONFIG_VERSION="${QUICKJS_PACKAGE.version}"`,
  '-Wno-everything', // third-party code: its warnings are not ours to fix
];
const GLUE_FLAGS = ['-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror'];
const LINK_FLAGS = [
  '-mexec-model=reactor',
  // Stack first: an overflow runs below address 0 and traps instead of corrupting data.
  '-Wl,--stack-first',
  `-Wl,-z,stack-size=${STACK_BYTES}`,
  '-Wl,--strip-all',
];

/** Where the engine lives, and its bytes. */
export interface JsEngine {
  path: string;
  bytes: Uint8Array;
}

/**
 * Returns the engine, building it into `cacheDir` first if needed (about 20 s on 2 cores).
 * Checks the toolchain up front (ToolchainMissingError names the Debian packages) and fetches
 * QuickJS's sources from npm on first use.
 */
export async function buildJsEngine(cacheDir: string): Promise<JsEngine> {
  const toolchain = await findClangWasi();
  const hash = createHash('sha256').update(JSON.stringify([QUICKJS_PACKAGE.integrity, toolchain.version, COMMON_FLAGS, QUICKJS_FLAGS, GLUE_FLAGS, LINK_FLAGS]));
  for (const file of ENGINE_SOURCES) hash.update(await readFile(file));
  const key = hash.digest('hex').slice(0, 16);
  const out = path.join(cacheDir, `js-engine-${key}.wasm`);
  if (existsSync(out)) return { path: out, bytes: await readFile(out) };

  const sources = await quickJsSources(cacheDir);
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(path.join(cacheDir, '.js-engine-'));
  try {
    const units = [
      // WebAssembly has no FP rounding modes; QuickJS needs them to print ties (wo_fenv.h).
      ...QUICKJS_C_FILES.map((f) => ({ src: path.join(sources, f), flags: f === 'quickjs.c' ? [...QUICKJS_FLAGS, '-include', FENV_HEADER] : QUICKJS_FLAGS })),
      { src: ENGINE_GLUE, flags: [`-I${sources}`, `-I${ABI_HEADER_DIR}`, ...GLUE_FLAGS] },
      { src: FENV_SHIM, flags: GLUE_FLAGS },
    ];
    const objects = units.map((u) => path.join(work, `${path.basename(u.src, '.c')}.o`));
    await inParallel(units.map((u, i) => () =>
      runClang(toolchain, `compiling ${path.basename(u.src)}`, [...COMMON_FLAGS, ...u.flags, '-c', u.src, '-o', objects[i] ?? ''])));
    const linked = path.join(work, 'engine.wasm');
    await runClang(toolchain, 'linking the JS engine', [...COMMON_FLAGS, ...LINK_FLAGS, ...objects, '-o', linked]);
    await rename(linked, out); // atomic: a concurrent build of the same key writes the same bytes
    return { path: out, bytes: await readFile(out) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs the tasks, at most one per core at a time (clang is CPU-bound). */
async function inParallel(tasks: readonly (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]?.();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(os.availableParallelism(), tasks.length)) }, worker));
}
