/**
 * QuickJS's C sources, taken from a registry package rather than committed: the npm package
 * `qjsc` vendors QuickJS 2021-03-27 (MIT, Fabrice Bellard and Charlie Gordon) under
 * `deps/quickjs_2021_03_27/`. We fetch its tarball with `npm pack` (never installing it: its
 * install script builds a Node addon we do not want), check it against a pinned sha512, and
 * extract only the engine's files. No npm package carried quickjs-ng's sources when this was
 * written; switching is a matter of changing QUICKJS_PACKAGE and the file list.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { WasmOperatorError } from '../../../errors.ts';

const run = promisify(execFile);

/** Where the sources come from; `integrity` is the registry's own dist.integrity. */
export const QUICKJS_PACKAGE = {
  spec: 'qjsc@0.3.0',
  integrity: 'sha512-a7+cU6/IVcZbIejffdt/wZVMX6LL2MDL3HQ9Zb5Gm23G9DvBMS/z9GHFxz39bAvp2PvMOM+ypSOAyokt2DdZ2w==',
  folder: 'package/deps/quickjs_2021_03_27',
  version: '2021-03-27',
} as const;

/** The files the engine compiles or includes, plus the licence that travels with them. */
export const QUICKJS_C_FILES = ['quickjs.c', 'libregexp.c', 'libunicode.c', 'cutils.c', 'libbf.c'] as const;
const QUICKJS_FILES = [
  ...QUICKJS_C_FILES,
  'quickjs.h', 'quickjs-atom.h', 'quickjs-opcode.h', 'libregexp.h', 'libregexp-opcode.h',
  'libunicode.h', 'libunicode-table.h', 'cutils.h', 'list.h', 'libbf.h', 'LICENSE', 'VERSION',
];

/** The QuickJS sources could not be fetched or did not match the pinned checksum. */
export class QuickJsSourceError extends WasmOperatorError {
  constructor(message: string, cause?: unknown) {
    super('QUICKJS_SOURCE', message, { package: QUICKJS_PACKAGE.spec }, { cause });
  }
}

/**
 * Returns a folder holding QuickJS's sources, fetching them into `cacheDir` on first use.
 * Safe to call from concurrent processes: each extracts into its own temporary folder and
 * renames it into place.
 */
export async function quickJsSources(cacheDir: string): Promise<string> {
  const dir = path.join(cacheDir, `quickjs-${QUICKJS_PACKAGE.version}-${digestTag(QUICKJS_PACKAGE.integrity)}`);
  if (existsSync(path.join(dir, 'VERSION'))) return dir;
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(path.join(cacheDir, '.quickjs-'));
  try {
    const tarball = await npmPack(work);
    const actual = `sha512-${createHash('sha512').update(await readFile(tarball)).digest('base64')}`;
    if (actual !== QUICKJS_PACKAGE.integrity) {
      throw new QuickJsSourceError(`${QUICKJS_PACKAGE.spec} from the registry has checksum ${actual}, expected ${QUICKJS_PACKAGE.integrity}; refusing to build from it`);
    }
    const strip = QUICKJS_PACKAGE.folder.split('/').length;
    const out = path.join(work, 'src');
    await mkdir(out);
    await run('tar', ['-xzf', tarball, '-C', out, `--strip-components=${strip}`, ...QUICKJS_FILES.map((f) => `${QUICKJS_PACKAGE.folder}/${f}`)]);
    await rename(out, dir).catch(async (err: unknown) => {
      if (!existsSync(path.join(dir, 'VERSION'))) throw err; // another process won the race
    });
    return dir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function npmPack(into: string): Promise<string> {
  try {
    await run('npm', ['pack', QUICKJS_PACKAGE.spec, '--pack-destination', into, '--silent'], { cwd: into });
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() ?? String(err);
    throw new QuickJsSourceError(`could not fetch QuickJS's sources (npm pack ${QUICKJS_PACKAGE.spec}): ${detail}`, err);
  }
  const tarball = (await readdir(into)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new QuickJsSourceError(`npm pack ${QUICKJS_PACKAGE.spec} produced no tarball`);
  return path.join(into, tarball);
}

function digestTag(integrity: string): string {
  return createHash('sha256').update(integrity).digest('hex').slice(0, 12);
}
