/**
 * Fetches an operator's .wasm bytes from where its WasmOperator says: a file (local mode), an
 * HTTP(S) URL pinned by sha256, or a ConfigMap's `binaryData`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WasmOperatorError } from '../../errors.ts';
import type { KubeClient } from '../../kube/index.ts';
import type { ModuleSource } from '../config/index.ts';

/** The module could not be fetched or is not the one pinned; the operator is not started. */
export class ModuleSourceError extends WasmOperatorError {
  constructor(operator: string, where: string, problem: string, cause?: unknown) {
    super('MODULE_SOURCE', `operator "${operator}": module ${where}: ${problem}; the operator is not started`, { operator, where }, { cause });
  }
}

export interface ModuleFetchContext {
  /** `namespace/name` of the operator, for errors. */
  operator: string;
  namespace: string;
  /** Relative `file` paths are resolved from here (the folder of the file that named them). */
  baseDir: string;
  kube?: KubeClient;
  urlTimeoutMs?: number;
}

/** The module's bytes and a short description of where they came from (for logs and errors). */
export async function readModuleBytes(source: ModuleSource, context: ModuleFetchContext): Promise<{ bytes: Uint8Array; where: string }> {
  const { where, bytes } = await fetchBytes(source, context);
  if (source.sha256 !== undefined) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== source.sha256) throw new ModuleSourceError(context.operator, where, `has sha256 ${actual}, not the pinned ${source.sha256}`);
  }
  return { bytes, where };
}

async function fetchBytes(source: ModuleSource, context: ModuleFetchContext): Promise<{ bytes: Uint8Array; where: string }> {
  if (source.file !== undefined) {
    const file = path.resolve(context.baseDir, source.file);
    try {
      return { where: file, bytes: await readFile(file) };
    } catch (err) {
      throw new ModuleSourceError(context.operator, file, 'cannot be read', err);
    }
  }
  if (source.url !== undefined) return fetchUrl(source.url, context);
  if (source.configMap !== undefined) return fetchConfigMap(source.configMap, context);
  throw new ModuleSourceError(context.operator, '(none)', 'names no file, url or configMap');
}

async function fetchUrl(url: string, context: ModuleFetchContext): Promise<{ bytes: Uint8Array; where: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(context.urlTimeoutMs ?? 60_000), redirect: 'follow' });
  } catch (err) {
    throw new ModuleSourceError(context.operator, url, 'could not be downloaded', err);
  }
  if (!response.ok) throw new ModuleSourceError(context.operator, url, `download answered HTTP ${response.status}`);
  return { where: url, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function fetchConfigMap(ref: { name: string; key: string }, context: ModuleFetchContext): Promise<{ bytes: Uint8Array; where: string }> {
  const where = `ConfigMap ${context.namespace}/${ref.name} key ${ref.key}`;
  if (context.kube === undefined) throw new ModuleSourceError(context.operator, where, 'needs a Kubernetes connection');
  let configMap: { binaryData?: Record<string, string> };
  try {
    configMap = await context.kube.call({ method: 'GET', path: `/api/v1/namespaces/${context.namespace}/configmaps/${ref.name}` });
  } catch (err) {
    throw new ModuleSourceError(context.operator, where, 'could not be read', err);
  }
  const data = configMap.binaryData?.[ref.key];
  if (data === undefined) throw new ModuleSourceError(context.operator, where, `has no binaryData key "${ref.key}"`);
  return { where, bytes: new Uint8Array(Buffer.from(data, 'base64')) };
}
