/**
 * The manifest `wasm-operator build` embeds (docs/abi.md, "The manifest"): found beside the
 * entry or given with --manifest, read as YAML or JSON, validated by the WasmOperator schema
 * (the same check the host applies when it loads the module), and stored as compact JSON.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseModuleManifest, type ModuleManifest } from '../runtime/index.ts';
import { ManifestError } from './errors.ts';

export type { ModuleManifest };

const MANIFEST_NAMES = ['manifest.yaml', 'manifest.yml', 'manifest.json'];

/**
 * The manifest file for `entry`: `manifest.{yaml,yml,json}` in the entry's folder, or in its
 * parent (for the `assembly/index.ts` layout); undefined when there is none.
 */
export async function findManifest(entry: string): Promise<string | undefined> {
  const dir = path.dirname(path.resolve(entry));
  for (const folder of [dir, path.dirname(dir)]) {
    for (const name of MANIFEST_NAMES) {
      const candidate = path.join(folder, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Reads and validates a manifest file. Throws `ManifestError` when it cannot be read or
 * parsed, and the schema's `InvalidOperatorError` (every problem, each naming its field) when
 * it is not a valid manifest.
 */
export async function loadManifest(file: string): Promise<ModuleManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ManifestError(`cannot read manifest ${file}: ${(err as Error).message}`, { file });
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ManifestError(`${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { file });
  }
  return parseModuleManifest(JSON.stringify(data ?? {}), file);
}
