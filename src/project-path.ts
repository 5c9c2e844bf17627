/**
 * Files that ship with wasm-operator (examples, SDK sources, templates, package.json), found
 * from the package root rather than from the importing module, so code reads them the same
 * whether it runs from `src/` or from a bundle in `dist/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder: the nearest ancestor of this module with wasm-operator's package.json. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wasm-operator') return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`wasm-operator's package.json is not above ${fileURLToPath(import.meta.url)}`);
  }
}

/** A path inside the package, e.g. `projectPath('examples', 'webapp', 'crd.yaml')`. */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
