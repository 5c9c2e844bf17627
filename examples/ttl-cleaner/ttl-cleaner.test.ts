import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleGuest } from '../example-guest.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const request = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'tmp', name: 'scratch' };

function configMap(annotations: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scratch', namespace: 'tmp', uid: 'u1', creationTimestamp: '2026-03-01T11:59:00Z', annotations } };
}

async function ttlCleaner(object: unknown, status = 200) {
  return exampleGuest('ttl-cleaner', { nowMs: () => NOW, cacheGet: () => object, kube: () => ({ status, body: {} }) });
}

test('an object whose ttl has not expired is requeued for the moment it does', async () => {
  const g = await ttlCleaner(configMap({ ttl: '2m30s' }));
  assert.deepEqual(await g.reconcile(request), { kind: 'requeueAfter', delayMs: 90_000 });
  assert.deepEqual(g.requests, []);
});

test('an absolute expiry time works too', async () => {
  const g = await ttlCleaner(configMap({ ttl: '2026-03-01T13:00:00Z' }));
  assert.deepEqual(await g.reconcile(request), { kind: 'requeueAfter', delayMs: 3_600_000 });
});

test('an expired object is deleted, guarded by its uid', async () => {
  const g = await ttlCleaner(configMap({ ttl: '30s' }));
  assert.deepEqual(await g.reconcile(request), { kind: 'done' });
  assert.deepEqual(g.requests, [{
    method: 'DELETE', path: '/api/v1/namespaces/tmp/configmaps/scratch', query: {}, contentType: 'application/json',
    body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: 'u1' } },
  }]);
  assert.equal(g.logs[0]?.message, 'deleted expired ConfigMap tmp/scratch');
});

test('a newer object under the same name (409 on the uid precondition) is left alone', async () => {
  const g = await ttlCleaner(configMap({ ttl: '1s' }), 409);
  assert.deepEqual(await g.reconcile(request), { kind: 'done' });
});

test('objects without the annotation, or already gone, need nothing', async () => {
  assert.deepEqual(await (await ttlCleaner(configMap({}))).reconcile(request), { kind: 'done' });
  assert.deepEqual(await (await ttlCleaner(null)).reconcile(request), { kind: 'done' });
});

test('an unreadable ttl is a terminal failure naming the value', async () => {
  const g = await ttlCleaner(configMap({ ttl: 'soon' }));
  assert.deepEqual(await g.reconcile(request), { kind: 'failed', terminal: true, message: 'cannot read ttl "soon" of tmp/scratch: use 90s, 2h30m, 7d or an RFC 3339 time' });
});
