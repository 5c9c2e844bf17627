/**
 * Every toolchain, by language: one line each, loaded only when a build needs it (asc and
 * its Binaryen weigh megabytes the host never loads).
 */
import { BuildError } from '../errors.ts';
import type { Lang, Toolchain } from '../toolchain.ts';

type Loader = () => Promise<{ default: Toolchain }>;

const loaders: Readonly<Record<Lang, Loader | undefined>> = {
  as: () => import('./assemblyscript.ts'),
  c: () => import('./c.ts'),
  js: () => import('./js.ts'),
  go: () => import('./go.ts'),
};

/** The toolchain for `lang`; a `BuildError` when this build of wasm-operator has none. */
export async function loadToolchain(lang: Lang): Promise<Toolchain> {
  const load = loaders[lang];
  if (load === undefined) throw new BuildError(`there is no ${lang} toolchain in this version of wasm-operator`, { lang });
  return (await load()).default;
}
