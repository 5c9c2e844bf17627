/**
 * Reading kubeconfig files: parse, check the shape, resolve relative paths against the file's
 * folder, and merge several files the way kubectl merges `KUBECONFIG`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfigError } from './errors.ts';

/** A `cluster` entry (field names as in the file). Paths are absolute once read. */
export interface KubeConfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  extensions?: { name: string; extension: unknown }[];
}

/** An exec credential plugin's configuration (client.authentication.k8s.io). */
export interface KubeConfigExec {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
  installHint?: string;
}

/** A `user` entry (field names as in the file). Paths are absolute once read. */
export interface KubeConfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  exec?: KubeConfigExec;
  'auth-provider'?: { name?: string };
}

/** A `context` entry. */
export interface KubeConfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** One file's worth of configuration, or several merged; `origin` says where each name came from. */
export interface KubeConfigDocument {
  clusters: Map<string, KubeConfigCluster>;
  users: Map<string, KubeConfigUser>;
  contexts: Map<string, KubeConfigContext>;
  currentContext: string | undefined;
  /** For messages: the file each cluster/user/context name was read from. */
  origin: Map<string, string>;
}

/** Reads one kubeconfig file; `KubeConfigError` names the file and the entry that is wrong. */
export async function readKubeConfigFile(file: string): Promise<KubeConfigDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new KubeConfigError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, { path: file }, err);
  }
  const { parse } = await import('yaml'); // loaded only by hosts that read a kubeconfig file
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new KubeConfigError(`kubeconfig ${file} is not valid YAML: ${(err as Error).message}`, { path: file }, err);
  }
  return parseKubeConfig(data ?? {}, file);
}

/** Checks a parsed kubeconfig's shape and resolves its relative paths against `file`'s folder. */
export function parseKubeConfig(data: unknown, file: string): KubeConfigDocument {
  const fail = (where: string, problem: string): never => {
    throw new KubeConfigError(`kubeconfig ${file}: ${where} ${problem}`, { path: file, field: where });
  };
  if (!isRecord(data)) fail('the document', 'must be a mapping');
  const doc = data as Record<string, unknown>;
  const dir = path.dirname(path.resolve(file));
  const resolve = (p: string | undefined) => (p === undefined || p === '' || path.isAbsolute(p) ? p : path.join(dir, p));
  const result: KubeConfigDocument = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: undefined,
    origin: new Map(),
  };
  checkType(doc['current-context'], 'string', 'current-context', fail);
  if (typeof doc['current-context'] === 'string' && doc['current-context'] !== '') result.currentContext = doc['current-context'];
  const named = (key: 'clusters' | 'users' | 'contexts', inner: 'cluster' | 'user' | 'context') => {
    const list = doc[key] ?? [];
    if (!Array.isArray(list)) fail(key, 'must be a list');
    return (list as unknown[]).map((entry, i) => {
      const where = `${key}[${i}]`;
      if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') fail(where, 'needs a name');
      const body = (entry as Record<string, unknown>)[inner] ?? {};
      if (!isRecord(body)) fail(`${where}.${inner}`, 'must be a mapping');
      return { name: (entry as { name: string }).name, body: body as Record<string, unknown>, where: `${where}.${inner}` };
    });
  };
  for (const { name, body, where } of named('clusters', 'cluster')) {
    checkFields(body, where, fail, {
      server: 'string', 'certificate-authority': 'string', 'certificate-authority-data': 'string',
      'insecure-skip-tls-verify': 'boolean', 'tls-server-name': 'string', 'proxy-url': 'string',
    });
    const cluster = body as KubeConfigCluster;
    addFirst(result.clusters, result.origin, `cluster/${name}`, name, { ...cluster, 'certificate-authority': resolve(cluster['certificate-authority']) }, file);
  }
  for (const { name, body, where } of named('users', 'user')) {
    checkFields(body, where, fail, {
      token: 'string', tokenFile: 'string', 'client-certificate': 'string', 'client-certificate-data': 'string',
      'client-key': 'string', 'client-key-data': 'string', username: 'string', password: 'string', as: 'string', 'as-uid': 'string',
    });
    const user = body as KubeConfigUser;
    if (user.exec !== undefined) checkExec(user.exec, `${where}.exec`, fail);
    const exec = user.exec && { ...user.exec, command: resolveCommand(user.exec.command, resolve) };
    addFirst(result.users, result.origin, `user/${name}`, name, {
      ...user,
      tokenFile: resolve(user.tokenFile),
      'client-certificate': resolve(user['client-certificate']),
      'client-key': resolve(user['client-key']),
      ...(exec ? { exec } : {}),
    }, file);
  }
  for (const { name, body, where } of named('contexts', 'context')) {
    checkFields(body, where, fail, { cluster: 'string', user: 'string', namespace: 'string' });
    addFirst(result.contexts, result.origin, `context/${name}`, name, body as KubeConfigContext, file);
  }
  return result;
}

/**
 * Merges documents as kubectl merges the files of `KUBECONFIG`: the first file to define a
 * cluster, user or context name wins, and so does the first `current-context` that is set.
 */
export function mergeKubeConfigs(docs: readonly KubeConfigDocument[]): KubeConfigDocument {
  const merged: KubeConfigDocument = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined, origin: new Map() };
  for (const doc of docs) {
    merged.currentContext ??= doc.currentContext;
    for (const [kind, from, to] of [['cluster', doc.clusters, merged.clusters], ['user', doc.users, merged.users], ['context', doc.contexts, merged.contexts]] as const) {
      for (const [name, value] of from as Map<string, unknown>) {
        addFirst(to as Map<string, unknown>, merged.origin, `${kind}/${name}`, name, value, doc.origin.get(`${kind}/${name}`) ?? '');
      }
    }
  }
  return merged;
}

function addFirst<T>(map: Map<string, T>, origin: Map<string, string>, originKey: string, name: string, value: T, file: string): void {
  if (map.has(name)) return;
  map.set(name, value);
  origin.set(originKey, file);
}

// client-go resolves a plugin command against the kubeconfig's folder only when it names a
// relative path ("./bin/plugin"); a bare name ("aws") is looked up on PATH.
function resolveCommand(command: string | undefined, resolve: (p: string | undefined) => string | undefined): string | undefined {
  return command !== undefined && command.includes('/') ? resolve(command) : command;
}

type FieldType = 'string' | 'boolean';

function checkFields(body: Record<string, unknown>, where: string, fail: (w: string, p: string) => never, fields: Record<string, FieldType>): void {
  for (const [field, type] of Object.entries(fields)) checkType(body[field], type, `${where}.${field}`, fail);
  if (body['as-groups'] !== undefined && !isStringList(body['as-groups'])) fail(`${where}.as-groups`, 'must be a list of strings');
}

function checkExec(exec: unknown, where: string, fail: (w: string, p: string) => never): void {
  if (!isRecord(exec)) fail(where, 'must be a mapping');
  const e = exec as Record<string, unknown>;
  if (typeof e.command !== 'string' || e.command === '') fail(`${where}.command`, 'is required');
  if (typeof e.apiVersion !== 'string') fail(`${where}.apiVersion`, 'is required');
  if (e.args != null && !isStringList(e.args)) fail(`${where}.args`, 'must be a list of strings');
  if (e.env != null && !(Array.isArray(e.env) && e.env.every((v) => isRecord(v) && typeof v.name === 'string' && typeof v.value === 'string'))) {
    fail(`${where}.env`, 'must be a list of {name, value} strings');
  }
  checkType(e.provideClusterInfo, 'boolean', `${where}.provideClusterInfo`, fail);
  checkType(e.interactiveMode, 'string', `${where}.interactiveMode`, fail);
  checkType(e.installHint, 'string', `${where}.installHint`, fail);
}

function checkType(value: unknown, type: FieldType, where: string, fail: (w: string, p: string) => never): void {
  if (value !== undefined && value !== null && typeof value !== type) fail(where, `must be a ${type}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
