/**
 * The manifest `wasm-operator build` embeds (docs/abi.md, "The manifest"): found beside the
 * entry or given with --manifest, read as YAML or JSON, checked, and stored as compact JSON.
 *
 * The checks here are deliberately shallow (shapes of watches, owns, permissions, config):
 * the WasmOperator validator of the control plane is the authority, and replaces them when
 * it lands on main.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ManifestError } from './errors.ts';

/** One watched or owned kind. */
export interface KindRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

/** One RBAC-style rule of what the operator may do. */
export interface PermissionRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What an operator declares about itself (the WasmOperator spec without the module source). */
export interface Manifest {
  watches?: KindRef[];
  owns?: KindRef[];
  permissions?: PermissionRule[];
  config?: Record<string, unknown>;
  [field: string]: unknown;
}

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

/** Reads and checks a manifest file; throws `ManifestError` naming the file and the field. */
export async function loadManifest(file: string): Promise<Manifest> {
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
  const problems = checkManifest(data);
  if (problems.length > 0) {
    throw new ManifestError(`${file} is not a valid manifest:\n${problems.map((p) => `  ${p}`).join('\n')}`, { file, problems });
  }
  return data as Manifest;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKinds(list: unknown, field: string, required: boolean, problems: string[]): void {
  if (list === undefined) {
    if (required) problems.push(`${field}: required (a list of {apiVersion, kind})`);
    return;
  }
  if (!Array.isArray(list) || (required && list.length === 0)) {
    problems.push(`${field}: must be a ${required ? 'non-empty ' : ''}list of {apiVersion, kind}`);
    return;
  }
  list.forEach((item, i) => {
    if (!isObject(item)) return void problems.push(`${field}[${i}]: must be an object`);
    for (const key of ['apiVersion', 'kind']) {
      if (typeof item[key] !== 'string' || item[key] === '') problems.push(`${field}[${i}].${key}: required string`);
    }
    for (const key of ['namespace', 'labelSelector']) {
      if (item[key] !== undefined && typeof item[key] !== 'string') problems.push(`${field}[${i}].${key}: must be a string`);
    }
  });
}

function checkPermissions(list: unknown, problems: string[]): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return void problems.push('permissions: must be a list of {apiGroups, resources, verbs}');
  list.forEach((rule, i) => {
    if (!isObject(rule)) return void problems.push(`permissions[${i}]: must be an object`);
    for (const key of ['apiGroups', 'resources', 'verbs']) {
      const v = rule[key];
      if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string')) {
        problems.push(`permissions[${i}].${key}: must be a non-empty list of strings`);
      }
    }
  });
}

/** Every problem found in `data` as a manifest, each naming its field; empty when it is fine. */
export function checkManifest(data: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(data)) return ['the manifest must be an object (watches, owns, permissions, config)'];
  // watches may come from the WasmOperator resource instead (the ring example needs that)
  checkKinds(data.watches, 'watches', false, problems);
  checkKinds(data.owns, 'owns', false, problems);
  checkPermissions(data.permissions, problems);
  if (data.config !== undefined && !isObject(data.config)) problems.push('config: must be an object');
  return problems;
}
