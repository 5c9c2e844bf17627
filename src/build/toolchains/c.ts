/**
 * C operators: Debian's clang 14 + lld + wasi-libc compile one translation unit (the entry;
 * it may #include more) into a WASI reactor, with `sdk/c` on the include path for
 * `wasm_operator.h`. No --sysroot: Debian installs the WASI headers under the target's own
 * include folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BuildError } from '../errors.ts';
import type { Toolchain, ToolchainOptions } from '../toolchain.ts';
import { projectPath } from '../../project-path.ts';

const run = promisify(execFile);
const SDK_C = projectPath('sdk', 'c');
const CLANG = 'clang';
const MISSING = 'install the Debian packages clang, lld, wasi-libc and libclang-rt-dev-wasm32 (.ci/run does)';

/** The files a make-style dependency file (`clang -MD`) lists after its target. */
export function parseDepFile(text: string): string[] {
  const body = text.replace(/\\\r?\n/g, ' ');
  const colon = body.indexOf(': ');
  if (colon < 0) return [];
  // paths with spaces are escaped as "\ "; split on unescaped whitespace only
  return (body.slice(colon + 2).match(/(?:\\ |\S)+/g) ?? []).map((p) => p.replace(/\\ /g, ' '));
}

const c: Toolchain = {
  lang: 'c',
  version: 'clang-wasm32-wasi-reactor-1',
  async build(entry: string, options: ToolchainOptions): Promise<Uint8Array> {
    const work = await mkdtemp(path.join(tmpdir(), 'wasm-operator-c-'));
    try {
      const out = path.join(work, 'operator.wasm');
      const deps = path.join(work, 'operator.d');
      const args = [
        '--target=wasm32-wasi', '-mexec-model=reactor', '-Wall', '-Wextra', '-Werror=implicit-function-declaration',
        ...(options.optimize ? ['-Oz', '-Wl,--strip-debug'] : ['-O0', '-g']),
        '-I', SDK_C, ...(options.flags ?? []), '-MD', '-MF', deps, '-o', out, entry,
      ];
      try {
        await run(CLANG, args, { maxBuffer: 16 * 1024 * 1024 });
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { stderr?: string };
        if (e.code === 'ENOENT') throw new BuildError(`cannot build ${entry}: ${CLANG} is not installed; ${MISSING}`, { entry, lang: 'c' }, { cause: err });
        throw new BuildError(`C build of ${entry} failed:\n${(e.stderr ?? e.message).trim()}`, { entry, lang: 'c' }, { cause: err });
      }
      options.inputs.add(fileURLToPath(import.meta.url)); // edited flags invalidate the cache
      for (const file of parseDepFile(await readFile(deps, 'utf8'))) {
        // wasi-libc's own headers change only with the compiler, which `version` stands for
        if (!file.startsWith('/usr/')) options.inputs.add(path.resolve(file));
      }
      return new Uint8Array(await readFile(out));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

export default c;
