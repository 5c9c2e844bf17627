/**
 * Finding a Go that can build operators (Go >= 1.24: `//go:wasmexport` and `-buildmode=c-shared`
 * for `GOOS=wasip1`), installing one into the project's cache when there is none.
 *
 * Where it looks, in order: `WASM_OPERATOR_GO` (a `go` binary the user chose), the project's
 * cache (`.cache/go`, or `WASM_OPERATOR_GO_CACHE`), a `go` on PATH that is recent enough, and
 * last `scripts/go-toolchain.sh`, which installs Debian's newest Go into the cache (see that
 * script for how; it says exactly what is missing when it cannot).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { BuildError } from '../../errors.ts';
import { projectRoot } from '../../../project-path.ts';

const run = promisify(execFile);
const REPO = projectRoot();
const INSTALL_SCRIPT = path.join(REPO, 'scripts', 'go-toolchain.sh');

/** The oldest Go minor version that builds operators. */
export const MIN_GO_MINOR = 24;

/** A Go toolchain that builds operators. */
export interface GoInstall {
  /** The `go` binary. */
  readonly go: string;
  readonly goroot: string;
  /** As `go env GOVERSION` prints it, e.g. `go1.26.10`. */
  readonly version: string;
  /** Where the cached builds of the standard library and the SDK go (GOCACHE). */
  readonly cacheDir: string;
}

/** The project's Go cache folder: installed toolchains and Go's own build cache. */
export function goCacheDir(): string {
  return process.env.WASM_OPERATOR_GO_CACHE ?? path.join(REPO, '.cache', 'go');
}

/** The minor version in a `go1.N[.P]` string; undefined for anything else. */
export function goMinor(version: string): number | undefined {
  const match = /^go1\.(\d+)/.exec(version);
  return match === null ? undefined : Number(match[1]);
}

/** The GOVERSION of `go`, or undefined when it does not run. */
async function probe(go: string): Promise<{ version: string; goroot: string } | undefined> {
  try {
    const { stdout } = await run(go, ['env', 'GOVERSION', 'GOROOT'], { env: { ...process.env, GOTOOLCHAIN: 'local', GOROOT: '' } });
    const [version = '', goroot = ''] = stdout.trim().split('\n');
    return { version, goroot };
  } catch {
    return undefined;
  }
}

function recentEnough(found: { version: string } | undefined): boolean {
  const minor = found === undefined ? undefined : goMinor(found.version);
  return minor !== undefined && minor >= MIN_GO_MINOR;
}

let pending: Promise<GoInstall> | undefined;

/**
 * A Go >= 1.24, installing Debian's into the cache on first use (a download of about 45 MB
 * that takes a minute; later calls answer in milliseconds). Rejects with a `BuildError` that
 * says what is missing. One lookup per process: concurrent callers share it.
 */
export function ensureGo(log: (message: string) => void = () => {}): Promise<GoInstall> {
  pending ??= locate(log).catch((err: unknown) => {
    pending = undefined; // a failure (say, no network) is not remembered: the next build tries again
    throw err;
  });
  return pending;
}

async function locate(log: (message: string) => void): Promise<GoInstall> {
  const cacheDir = goCacheDir();
  const install = (go: string, found: { version: string; goroot: string }): GoInstall => ({ go, goroot: found.goroot, version: found.version, cacheDir });

  const chosen = process.env.WASM_OPERATOR_GO;
  if (chosen !== undefined && chosen !== '') {
    const found = await probe(chosen);
    if (found === undefined) throw new BuildError(`WASM_OPERATOR_GO=${chosen} does not run`, { go: chosen });
    if (!recentEnough(found)) throw new BuildError(`WASM_OPERATOR_GO=${chosen} is ${found.version}; operators need Go >= 1.${MIN_GO_MINOR}`, { go: chosen });
    return install(chosen, found);
  }
  const cached = path.join(cacheDir, 'current', 'bin', 'go');
  const inCache = await probe(cached);
  if (recentEnough(inCache)) return install(cached, inCache!);
  const onPath = await probe('go');
  if (recentEnough(onPath)) return install('go', onPath!);

  log(`no Go >= 1.${MIN_GO_MINOR} found${onPath === undefined ? '' : ` (go on PATH is ${onPath.version})`}: installing Debian's into ${cacheDir} with ${INSTALL_SCRIPT}`);
  try {
    await run('bash', [INSTALL_SCRIPT], { env: { ...process.env, WASM_OPERATOR_GO_CACHE: cacheDir }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new BuildError(`cannot build Go operators: no Go >= 1.${MIN_GO_MINOR}, and installing one failed:\n${stderr || String(err)}`, { script: INSTALL_SCRIPT }, { cause: err });
  }
  const installed = await probe(cached);
  if (!recentEnough(installed)) throw new BuildError(`${INSTALL_SCRIPT} finished but ${cached} does not run as Go >= 1.${MIN_GO_MINOR}`, { go: cached });
  return install(cached, installed!);
}
