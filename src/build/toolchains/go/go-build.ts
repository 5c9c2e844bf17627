/**
 * One `go build` of a main package into a WASI reactor: `GOOS=wasip1 GOARCH=wasm
 * -buildmode=c-shared`, offline (`GOPROXY=off`, `GOTOOLCHAIN=local`: no module proxy is
 * reachable, so operators use the standard library and the modules named in `workspace`).
 *
 * Extra modules (the SDK in sdk/go) are added through a generated go.work file, so an
 * operator's go.mod needs no `replace` line pointing into wherever wasm-operator is installed.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BuildError } from '../../errors.ts';
import type { GoInstall } from './go-install.ts';

const run = promisify(execFile);

export interface GoBuildOptions {
  /** The folder of the main package. */
  readonly dir: string;
  /** Module folders besides the package's own, made available through go.work. */
  readonly workspace?: readonly string[];
  /** Strips symbols and DWARF (`-ldflags=-s -w`); false keeps them for stack traces. */
  readonly optimize: boolean;
  /** More `go build` flags, after ours (e.g. `-tags=debug`, `-gcflags=…`). */
  readonly flags?: readonly string[];
}

export interface GoBuildOutput {
  readonly wasm: Uint8Array;
  /** Every non-standard-library file the build read (sources, go.mod files): the build cache's inputs. */
  readonly inputs: string[];
}

/** The folder holding the go.mod that `dir` belongs to. */
export async function moduleRoot(dir: string): Promise<string> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      await access(path.join(at, 'go.mod'));
      return at;
    } catch {
      if (path.dirname(at) === at) throw new BuildError(`${dir} is not inside a Go module: add a go.mod (for example \`module example.com/my-operator\` and \`go 1.24\`)`, { dir });
    }
  }
}

/** The environment of every go command we run: Go's wasm target, offline, caches in the project. */
export function goEnvironment(go: GoInstall, gowork: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOOS: 'wasip1', GOARCH: 'wasm', CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local', GOPROXY: 'off', GOSUMDB: 'off', GOFLAGS: '', GOTELEMETRY: 'off', GOENV: 'off',
    GOROOT: go.goroot, GOWORK: gowork,
    GOCACHE: path.join(go.cacheDir, 'build'), GOMODCACHE: path.join(go.cacheDir, 'mod'), GOPATH: path.join(go.cacheDir, 'path'),
  };
}

/** Builds the main package in `options.dir` with `go`; rejects with a `BuildError` showing Go's diagnostics. */
export async function goBuild(go: GoInstall, options: GoBuildOptions): Promise<GoBuildOutput> {
  const root = await moduleRoot(options.dir);
  const work = await mkdtemp(path.join(tmpdir(), 'wasm-operator-go-'));
  try {
    const gowork = path.join(work, 'go.work');
    const uses = [...new Set([root, ...(options.workspace ?? []).map((dir) => path.resolve(dir))])].map((dir) => `\t${JSON.stringify(dir)}\n`).join('');
    await writeFile(gowork, `go 1.${(await goModMinor(root)) ?? 24}\n\nuse (\n${uses})\n`);
    const env = goEnvironment(go, gowork);
    const out = path.join(work, 'operator.wasm');
    const args = ['build', '-buildmode=c-shared', '-trimpath', '-o', out, ...(options.optimize ? ['-ldflags=-s -w'] : []), ...(options.flags ?? []), '.'];
    try {
      await run(go.go, args, { cwd: options.dir, env, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new BuildError(`Go build of ${options.dir} failed:\n${stderr || String(err)}`, { dir: options.dir, lang: 'go' }, { cause: err });
    }
    const wasm = new Uint8Array(await readFile(out));
    return { wasm, inputs: await buildInputs(go, options.dir, env) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The `go 1.N` line of a go.mod, so the workspace never asks for less than a module does. */
async function goModMinor(root: string): Promise<number | undefined> {
  const match = /^go\s+1\.(\d+)/m.exec(await readFile(path.join(root, 'go.mod'), 'utf8'));
  return match === null ? undefined : Math.max(24, Number(match[1]));
}

async function buildInputs(go: GoInstall, dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  // one line per file of every non-standard package the build used, plus its module's go.mod
  const format = '{{if not .Standard}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}\n{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}\n{{end}}{{with .Module}}{{.GoMod}}\n{{end}}{{end}}';
  const { stdout } = await run(go.go, ['list', '-deps', '-f', format, '.'], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  return [...new Set(stdout.split('\n').filter((line) => line !== ''))];
}
