import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleGuest } from '../example-guest.ts';

const REPLICATE = 'replicator.wasm-operator.dev/replicate';
const FROM_NS = 'replicator.wasm-operator.dev/source-namespace';
const FROM_NAME = 'replicator.wasm-operator.dev/source-name';

const namespace = (name: string, deleting = false) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) } });
const source = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'base', uid: 's', labels: { [REPLICATE]: 'true' } }, data: { a: '1' } };
const copyIn = (ns: string, data: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns, uid: `c-${ns}`, resourceVersion: '4', labels: { [FROM_NS]: 'base', [FROM_NAME]: 'shared' } }, data,
});

interface ConfigMap { metadata: { name: string; namespace: string; labels?: Record<string, string> } }
interface World { configMaps: ConfigMap[]; namespaces: Array<ReturnType<typeof namespace>> }

function replicator(world: World) {
  const matches = (labels: Record<string, string> | undefined, selector: string | undefined) =>
    !selector || selector.split(',').every((term) => { const [k, v] = term.split('='); return labels?.[k!] === v; });
  return exampleGuest('configmap-replicator', {
    cacheGet: (ref) => (ref.kind === 'Namespace'
      ? world.namespaces.find((n) => n.metadata.name === ref.name)
      : world.configMaps.find((c) => c.metadata.namespace === ref.namespace && c.metadata.name === ref.name)) ?? null,
    cacheList: (q) => (q.kind === 'Namespace' ? world.namespaces : world.configMaps.filter((c) => matches(c.metadata.labels, q.labelSelector))),
    kube: (r) => ({ status: r.method === 'POST' ? 201 : 200, body: {} }),
  }, { exclude: 'kube-system, quiet' });
}

const cmRequest = (ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'shared' });

test('a source is copied into every other namespace, except excluded and terminating ones', async () => {
  const world = { configMaps: [source, copyIn('b', { a: '1' })], namespaces: ['base', 'a', 'b', 'kube-system', 'quiet'].map((n) => namespace(n)).concat(namespace('gone', true)) };
  const g = await replicator(world);
  assert.deepEqual(await g.reconcile(cmRequest('base')), { kind: 'done' });
  assert.deepEqual(g.requests, [{
    method: 'POST', path: '/api/v1/namespaces/a/configmaps', query: { fieldManager: 'configmap-replicator' }, contentType: 'application/json',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'a', labels: { [FROM_NS]: 'base', [FROM_NAME]: 'shared' } }, data: { a: '1' } },
  }]);
});

test('a new namespace receives a copy of every source', async () => {
  const g = await replicator({ configMaps: [source], namespaces: [namespace('base'), namespace('fresh')] });
  assert.deepEqual(await g.reconcile({ apiVersion: 'v1', kind: 'Namespace', name: 'fresh' }), { kind: 'done' });
  assert.deepEqual(g.requests.map((r) => `${r.method} ${r.path}`), ['POST /api/v1/namespaces/fresh/configmaps']);
});

test('an edited copy is put back, keeping its resourceVersion', async () => {
  const g = await replicator({ configMaps: [source, copyIn('b', { a: 'tampered', extra: 'x' })], namespaces: [namespace('base'), namespace('b')] });
  assert.deepEqual(await g.reconcile(cmRequest('b')), { kind: 'done' });
  assert.equal(g.requests.length, 1);
  assert.equal(g.requests[0]!.method, 'PUT');
  assert.deepEqual(g.requests[0]!.body, copyIn('b', { a: '1' }));
});

test('when the source is gone its copies are deleted, each guarded by its uid', async () => {
  const g = await replicator({ configMaps: [copyIn('a', { a: '1' }), copyIn('b', { a: '1' })], namespaces: [] });
  assert.deepEqual(await g.reconcile(cmRequest('base')), { kind: 'done' });
  assert.deepEqual(g.requests.map((r) => [r.method, r.path, (r.body as { preconditions: unknown }).preconditions]), [
    ['DELETE', '/api/v1/namespaces/a/configmaps/shared', { uid: 'c-a' }],
    ['DELETE', '/api/v1/namespaces/b/configmaps/shared', { uid: 'c-b' }],
  ]);
});

test('a ConfigMap of the same name that is not a copy is never replaced', async () => {
  const own = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'a', uid: 'mine' }, data: { mine: 'yes' } };
  const g = await replicator({ configMaps: [source, own], namespaces: [namespace('base'), namespace('a')] });
  assert.deepEqual(await g.reconcile(cmRequest('base')), { kind: 'done' });
  assert.deepEqual(g.requests, []);
  assert.match(g.logs[0]!.message, /not replacing a\/shared/);
});
