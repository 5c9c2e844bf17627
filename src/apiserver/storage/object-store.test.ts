import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ObjectStore } from './object-store.ts';
import { memoryPersistence, type Persistence } from './persistence.ts';
import { SqlitePersistence } from './sqlite-persistence.ts';
import type { StoreEvent } from './stored-object.ts';

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

test('writes get consecutive resourceVersions stamped into the object, and listeners see committed events in order', async () => {
  const store = new ObjectStore(memoryPersistence);
  const seen: string[] = [];
  store.subscribe((events) => seen.push(...events.map((e) => `${e.type} ${e.key} ${e.rv}`)));
  const [a] = await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]);
  await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a', { x: '1' }) }, { storage: 'configmaps', key: 'default/a', object: null }]);
  assert.equal((a!.object.object.metadata as { resourceVersion: string }).resourceVersion, '1');
  assert.deepEqual(seen, ['ADDED default/a 1', 'MODIFIED default/a 2', 'DELETED default/a 3']);
  assert.equal(store.get('configmaps', 'default/a'), undefined);
});

test('lists come in key order, by namespace, and after a key', async () => {
  const store = new ObjectStore(memoryPersistence);
  for (const key of ['b/y', 'a/z', 'b/x', 'ab/q']) await store.write([{ storage: 'configmaps', key, object: cm(key) }]);
  assert.deepEqual(store.keys('configmaps'), ['a/z', 'ab/q', 'b/x', 'b/y']);
  assert.deepEqual(store.keys('configmaps', 'b'), ['b/x', 'b/y']);
  assert.deepEqual(store.keys('configmaps', 'a'), ['a/z']);
  assert.deepEqual(store.keys('configmaps', undefined, 'ab/q'), ['b/x', 'b/y']);
});

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'object-store-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('durable writes of one event-loop turn are committed together, and survive a reopen with their history', () => withDir(async (dir) => {
  const persistence = new SqlitePersistence(dir);
  let commits = 0;
  const counting: Persistence = {
    durable: true,
    load: () => persistence.load(),
    commit: (events) => {
      commits++;
      persistence.commit(events);
    },
    compact: (rv) => persistence.compact(rv),
    close: () => persistence.close(),
  };
  const store = new ObjectStore(counting);
  await Promise.all(['a', 'b', 'c'].map((n) => store.write([{ storage: 'configmaps', key: `default/${n}`, object: cm(n) }])));
  assert.equal(commits, 1);
  await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a', { v: '2' }) }]);
  store.close();

  const reopened = new ObjectStore(new SqlitePersistence(dir));
  try {
    assert.equal(reopened.rv, 4);
    assert.deepEqual(reopened.keys('configmaps'), ['default/a', 'default/b', 'default/c']);
    const history = reopened.history.since(3) as StoreEvent[];
    assert.deepEqual(history.map((e) => [e.type, e.key, (e.prev?.object.data as Record<string, string>)]), [['MODIFIED', 'default/a', {}]]);
  } finally {
    reopened.close();
  }
}));

test('a failed commit undoes its batch and rejects its writes', async () => {
  const failing: Persistence = { ...memoryPersistence, durable: true, commit: () => { throw new Error('disk full'); } };
  const store = new ObjectStore(failing);
  await assert.rejects(store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]), /disk full/);
  assert.equal(store.get('configmaps', 'default/a'), undefined);
});

test('compaction is durable: a reopened store still refuses the forgotten history', () => withDir(async (dir) => {
  const store = new ObjectStore(new SqlitePersistence(dir));
  await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]);
  await store.write([{ storage: 'configmaps', key: 'default/b', object: cm('b') }]);
  assert.equal(store.compactTo(), 2);
  store.close();
  const reopened = new ObjectStore(new SqlitePersistence(dir));
  try {
    assert.equal(reopened.history.since(1), 'expired');
    assert.deepEqual(reopened.history.since(2), []);
    assert.equal(reopened.rv, 2, 'the resourceVersion survives even when no event carries it any more');
  } finally {
    reopened.close();
  }
}));

test('a data directory serves one server at a time', () => withDir(async (dir) => {
  const first = new SqlitePersistence(dir);
  try {
    assert.throws(() => new SqlitePersistence(dir), /cannot open the API server's data directory .* \(another server is using it\)/);
  } finally {
    first.close();
  }
  new SqlitePersistence(dir).close();
}));
