/**
 * The objects a wake benchmark runs against: namespaces `wake-<i>` on the API server, one
 * object per namespace for its operator to reconcile, and the operators file that runs N
 * operators, operator i watching namespace `wake-<i>` only (the ring's shape).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { applyDocuments } from '../../src/control/index.ts';
import { KubeClient, loadKubeConfig, RestMapper } from '../../src/kube/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { projectPath } from '../../src/project-path.ts';

export const namespaceOf = (i: number) => `wake-${i}`;

/** The bench's own client (no client-side rate limit: it must not be what is measured). */
export async function benchClient(kubeconfigPath: string): Promise<KubeClient> {
  return new KubeClient(await loadKubeConfig({ explicitPath: kubeconfigPath, env: {} }), { rateLimit: { qps: Infinity, burst: 1 } });
}

/** Runs `task(i)` for i in [from, to) with `concurrency` in flight. */
export async function forEachIndex(from: number, to: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
}

/** Creates a POSTed object, failing loudly on anything but 201 or 409 (already there). */
export async function create(kube: KubeClient, path: string, body: unknown): Promise<void> {
  const response = await kube.request({ method: 'POST', path, body });
  if (response.status !== 201 && response.status !== 409) throw new Error(`POST ${path}: ${response.status} ${response.text}`);
}

/** Namespaces wake-<from>..wake-<to-1>. */
export async function createNamespaces(kube: KubeClient, from: number, to: number): Promise<void> {
  await forEachIndex(from, to, 16, (i) => create(kube, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceOf(i) } }));
}

/** The webapp example's CRD (WebApp), served before this resolves. */
export async function applyWebAppCrd(kube: KubeClient): Promise<void> {
  const docs = parseAllDocuments(await readFile(projectPath('examples', 'webapp', 'crd.yaml'), 'utf8')).map((d) => d.toJS() as unknown);
  await applyDocuments(docs, kube, new RestMapper(kube), silentLogger, { fieldManager: 'bench' });
  await new RestMapper(kube).resolve('example.com/v1', 'WebApp');
}

/** One WebApp `web` in each namespace wake-<from>..wake-<to-1>. */
export async function createWebApps(kube: KubeClient, from: number, to: number): Promise<void> {
  await forEachIndex(from, to, 16, (i) =>
    create(kube, `/apis/example.com/v1/namespaces/${namespaceOf(i)}/webapps`, {
      apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'web' }, spec: { image: 'nginx:1.27', replicas: 1 },
    }));
}

export interface FleetOperator {
  name: string;
  module: string;
  /** Watches narrowed to the operator's own namespace. */
  watches: { apiVersion: string; kind: string }[];
  namespace: string;
  idlePolicy: string;
  config?: Record<string, unknown>;
}

/** Writes an operators file with one WasmOperator per entry. */
export async function writeOperatorsFile(file: string, operators: readonly FleetOperator[]): Promise<void> {
  const docs = operators.map((op) => stringify({
    apiVersion: 'wasm-operator.dev/v1alpha1',
    kind: 'WasmOperator',
    metadata: { name: op.name, namespace: 'default' },
    spec: {
      module: { file: op.module },
      watches: op.watches.map((w) => ({ ...w, namespace: op.namespace })),
      idlePolicy: op.idlePolicy,
      ...(op.config === undefined ? {} : { config: op.config }),
    },
  }));
  await writeFile(file, docs.join('---\n'));
}
