import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from './kube-object.ts';
import { ObjectStore } from './object-store.ts';

const cm = (namespace: string, name: string, rv: string, labels?: Record<string, string>): KubeObject => ({
  kind: 'ConfigMap',
  metadata: { namespace, name, resourceVersion: rv, ...(labels ? { labels } : {}) },
});

test('objects are found by namespace and name, and listed in namespace/name order', () => {
  const store = new ObjectStore();
  for (const o of [cm('b', 'z', '1'), cm('a', 'y', '2'), cm('b', 'a', '3'), cm('a', 'x', '4')]) store.upsert(o);
  assert.equal(store.get({ namespace: 'b', name: 'z' })?.metadata?.resourceVersion, '1');
  assert.equal(store.get({ namespace: 'c', name: 'z' }), undefined);
  assert.deepEqual(store.list().map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`), ['a/x', 'a/y', 'b/a', 'b/z']);
  assert.deepEqual(store.list({ namespace: 'b' }).map((o) => o.metadata?.name), ['a', 'z']);
  assert.equal(store.size, 4);
});

test('list filters by label selector, text or parsed', () => {
  const store = new ObjectStore();
  store.upsert(cm('a', 'web', '1', { app: 'web', env: 'prod' }));
  store.upsert(cm('a', 'db', '2', { app: 'db' }));
  store.upsert(cm('b', 'web', '3', { app: 'web' }));
  assert.deepEqual(store.list({ labelSelector: 'app=web' }).map((o) => o.metadata?.namespace), ['a', 'b']);
  assert.deepEqual(store.list({ namespace: 'a', labelSelector: 'env notin (prod)' }).map((o) => o.metadata?.name), ['db']);
});

test('cluster-scoped objects are keyed by name alone', () => {
  const store = new ObjectStore();
  store.upsert({ kind: 'Namespace', metadata: { name: 'shop', resourceVersion: '1' } });
  assert.equal(store.get({ name: 'shop' })?.kind, 'Namespace');
});

test('upsert reports added, then updated with the old object, and nothing for a resourceVersion already held', () => {
  const store = new ObjectStore();
  const v1 = cm('a', 'x', '1');
  const v2 = cm('a', 'x', '2');
  assert.deepEqual(store.upsert(v1), { type: 'added', object: v1 });
  assert.deepEqual(store.upsert(v2), { type: 'updated', object: v2, old: v1 });
  assert.equal(store.upsert(cm('a', 'x', '2')), undefined);
});

test('remove reports the final state, and nothing for an unknown object', () => {
  const store = new ObjectStore();
  store.upsert(cm('a', 'x', '1'));
  const last = cm('a', 'x', '5');
  assert.deepEqual(store.remove(last), { type: 'deleted', object: last });
  assert.equal(store.remove(last), undefined);
  assert.equal(store.size, 0);
});

test('replace returns exactly the difference with what the store held', () => {
  const store = new ObjectStore();
  const kept = cm('a', 'kept', '1');
  const changed = cm('a', 'changed', '1');
  const gone = cm('a', 'gone', '1');
  store.replace([kept, changed, gone]);
  const changedNow = cm('a', 'changed', '2');
  const fresh = cm('b', 'new', '3');
  const changes = store.replace([cm('a', 'kept', '1'), changedNow, fresh]);
  assert.deepEqual(changes, [
    { type: 'updated', object: changedNow, old: changed },
    { type: 'added', object: fresh },
    { type: 'deleted', object: gone },
  ]);
  assert.equal(store.get({ namespace: 'a', name: 'kept' }), kept, 'an unchanged object keeps its instance');
  assert.equal(store.size, 3);
});
