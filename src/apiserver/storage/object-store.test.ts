import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ObjectStore } from './object-store.ts';
import { memoryPersistence, type Persistence } from './persistence.ts';
import { DataDirError, SqlitePersistence } from './sqlite-persistence.ts';
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
  const persistence = await SqlitePersistence.open(dir);
  let commits = 0;
  const counting: Persistence = {
    durable: true,
    load: () => persistence.load(),
    commit: (events) => {
      commits++;
      return persistence.commit(events);
    },
    compact: (rv) => persistence.compact(rv),
    close: () => persistence.close(),
  };
  const store = new ObjectStore(counting);
  await Promise.all(['a', 'b', 'c'].map((n) => store.write([{ storage: 'configmaps', key: `default/${n}`, object: cm(n) }])));
  assert.equal(commits, 1);
  await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a', { v: '2' }) }]);
  await store.close();

  const reopened = new ObjectStore(await SqlitePersistence.open(dir));
  try {
    assert.equal(reopened.rv, 4);
    assert.deepEqual(reopened.keys('configmaps'), ['default/a', 'default/b', 'default/c']);
    const history = reopened.history.since(3) as StoreEvent[];
    assert.deepEqual(history.map((e) => [e.type, e.key, (e.prev?.object.data as Record<string, string>)]), [['MODIFIED', 'default/a', {}]]);
  } finally {
    await reopened.close();
  }
}));

test('writes staged while a commit is in flight are committed together in the next one', async () => {
  const batches: number[] = [];
  let release: () => void = () => {};
  const slow: Persistence = {
    ...memoryPersistence, durable: true,
    commit: (events) => {
      batches.push(events.length);
      return new Promise<void>((resolve) => (release = resolve));
    },
  };
  const store = new ObjectStore(slow);
  const first = store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]);
  await new Promise((r) => setImmediate(r));
  const later = ['b', 'c', 'd'].map((n) => store.write([{ storage: 'configmaps', key: `default/${n}`, object: cm(n) }]));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, [1], 'the second batch waits for the first commit');
  release();
  await first;
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all(later);
  assert.deepEqual(batches, [1, 3]);
});

test('a failed commit also undoes what was staged on top of it', async () => {
  let fail: (err: Error) => void = () => {};
  const failing: Persistence = { ...memoryPersistence, durable: true, commit: () => new Promise<void>((_, reject) => (fail = reject)) };
  const store = new ObjectStore(failing);
  const first = store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]);
  await new Promise((r) => setImmediate(r));
  const second = store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a', { v: '2' }) }]);
  fail(new Error('disk full'));
  await assert.rejects(first, /disk full/);
  await assert.rejects(second, /disk full/);
  assert.equal(store.get('configmaps', 'default/a'), undefined);
});

test('a failed commit undoes its batch and rejects its writes', async () => {
  const failing: Persistence = { ...memoryPersistence, durable: true, commit: () => { throw new Error('disk full'); } };
  const store = new ObjectStore(failing);
  await assert.rejects(store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]), /disk full/);
  assert.equal(store.get('configmaps', 'default/a'), undefined);
});

test('compaction is durable: a reopened store still refuses the forgotten history', () => withDir(async (dir) => {
  const store = new ObjectStore(await SqlitePersistence.open(dir));
  await store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]);
  await store.write([{ storage: 'configmaps', key: 'default/b', object: cm('b') }]);
  assert.equal(store.compactTo(), 2);
  await store.close();
  const reopened = new ObjectStore(await SqlitePersistence.open(dir));
  try {
    assert.equal(reopened.history.since(1), 'expired');
    assert.deepEqual(reopened.history.since(2), []);
    assert.equal(reopened.rv, 2, 'the resourceVersion survives even when no event carries it any more');
  } finally {
    await reopened.close();
  }
}));

test('a data directory serves one server at a time', () => withDir(async (dir) => {
  const first = await SqlitePersistence.open(dir);
  try {
    await assert.rejects(SqlitePersistence.open(dir), /cannot open the API server's data directory .* \(another server is using it\)/);
  } finally {
    await first.close();
  }
  await (await SqlitePersistence.open(dir)).close();
}));

test('a corrupt database or a data directory that cannot be made is refused with the reason', () => withDir(async (dir) => {
  await writeFile(path.join(dir, 'apiserver.sqlite'), 'not a database, but long enough to look like a header: '.repeat(20));
  await assert.rejects(SqlitePersistence.open(dir), (err: Error) =>
    err instanceof DataDirError && err.message.includes(dir) && /not a database/.test(String((err.cause as Error).message)));
  const underFile = path.join(dir, 'apiserver.sqlite', 'data');
  await assert.rejects(SqlitePersistence.open(underFile), (err: Error) => err instanceof DataDirError && (err.cause as NodeJS.ErrnoException).code === 'ENOTDIR');
}));

test('a closed store refuses commits with a clear error, and closing twice is harmless', () => withDir(async (dir) => {
  const persistence = await SqlitePersistence.open(dir);
  await persistence.close();
  await persistence.close();
  const store = new ObjectStore(persistence);
  await assert.rejects(store.write([{ storage: 'configmaps', key: 'default/a', object: cm('a') }]), /could not commit a write to its data directory: the store is closed/);
}));

test('the writer thread does not keep the process alive, even when the store is never closed', { timeout: 60_000 }, () => withDir(async (dir) => {
  const script = `
    const { SqlitePersistence } = await import(${JSON.stringify(new URL('./sqlite-persistence.ts', import.meta.url).href)});
    const { ObjectStore } = await import(${JSON.stringify(new URL('./object-store.ts', import.meta.url).href)});
    const store = new ObjectStore(await SqlitePersistence.open(process.argv[1]));
    await store.write([{ storage: 'configmaps', key: 'default/a', object: { metadata: { name: 'a' } } }]);
    console.log('written');`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir]);
  assert.equal(stdout.trim(), 'written');
  const reopened = new ObjectStore(await SqlitePersistence.open(dir));
  assert.equal(reopened.get('configmaps', 'default/a')?.rv, 1);
  await reopened.close();
}));
