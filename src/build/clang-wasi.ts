/**
 * The system C toolchain for wasm32-wasi: Debian's clang, lld (wasm-ld), wasi-libc and the
 * compiler-rt builtins for wasm32. We check for all four up front, because clang's own errors
 * for a missing sysroot or builtins library never name the package that provides it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { WasmOperatorError } from '../errors.ts';

const run = promisify(execFile);

/** The toolchain is incomplete; the message names the Debian packages to install. */
export class ToolchainMissingError extends WasmOperatorError {
  constructor(missing: readonly { what: string; debianPackage: string }[]) {
    const packages = missing.map((m) => m.debianPackage);
    super(
      'TOOLCHAIN_MISSING',
      `cannot compile C to wasm32-wasi: missing ${missing.map((m) => m.what).join(', ')}; ` +
        `install them with: apt-get install ${packages.join(' ')}`,
      { missing: packages },
    );
  }
}

/** A C compilation or link failed; the compiler's own output is in the message. */
export class CompileError extends WasmOperatorError {
  constructor(what: string, output: string, cause?: unknown) {
    super('C_COMPILE_FAILED', `${what} failed:\n${output.trim()}`, { what }, { cause });
  }
}

/** What a build needs to know about the toolchain it found (part of build cache keys). */
export interface ClangWasi {
  clang: string;
  /** `clang --version`'s first line, so that a compiler upgrade invalidates cached builds. */
  version: string;
}

/**
 * Finds clang and checks that it can target wasm32-wasi: wasm-ld, wasi-libc's libc.a and the
 * wasm32 builtins library. Throws ToolchainMissingError naming every missing Debian package.
 */
export async function findClangWasi(clang = 'clang'): Promise<ClangWasi> {
  let version: string;
  try {
    version = (await run(clang, ['--version'])).stdout.split('\n')[0] ?? '';
  } catch {
    throw new ToolchainMissingError([{ what: `the C compiler (${clang})`, debianPackage: 'clang' }]);
  }
  const missing: { what: string; debianPackage: string }[] = [];
  const printed = async (flag: string): Promise<string> =>
    (await run(clang, ['--target=wasm32-wasi', flag])).stdout.trim();
  try {
    await run('wasm-ld', ['--version']);
  } catch {
    missing.push({ what: 'the wasm linker (wasm-ld)', debianPackage: 'lld' });
  }
  // clang answers the bare name when it cannot find the file in the target's library paths.
  if (!existsSync(await printed('-print-file-name=libc.a'))) {
    missing.push({ what: 'the WASI C library (libc.a for wasm32-wasi)', debianPackage: 'wasi-libc' });
  }
  if (!existsSync(await printed('-print-libgcc-file-name'))) {
    missing.push({ what: 'the compiler-rt builtins for wasm32', debianPackage: 'libclang-rt-dev-wasm32' });
  }
  if (missing.length > 0) throw new ToolchainMissingError(missing);
  return { clang, version };
}

/** Runs clang with `args` (a compile or a link); throws CompileError with its output. */
export async function runClang(toolchain: ClangWasi, what: string, args: readonly string[]): Promise<void> {
  try {
    await run(toolchain.clang, ['--target=wasm32-wasi', ...args], { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    throw new CompileError(what, `${e.stdout ?? ''}${e.stderr ?? String(err)}`, err);
  }
}
