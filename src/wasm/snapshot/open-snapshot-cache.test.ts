import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { FsSnapshotStore } from './fs-snapshot-store.ts';
import { OpenSnapshotCache } from './open-snapshot-cache.ts';
import { digestA, digestB, snapshotBytes, storedHeader } from './snapshot-store.case.ts';

const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'open-snapshot-cache-'));
after(() => fsp.rm(root, { recursive: true, force: true }));
let files = 0;

/** A snapshot file on disk whose global 0 is `fill`; returns its path. */
async function snapshotFile(fill: number, digest = digestA, file = path.join(root, `snap-${++files}`)): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of snapshotBytes(fill, digest)) parts.push(part);
  await fsp.writeFile(file, parts);
  return file;
}

const limits = { maxFiles: 8, maxLayoutBytes: 1024 * 1024 };

test('a file added is handed out verified, and its share reads on after the cache lets it go', async () => {
  const cache = new OpenSnapshotCache(limits);
  const file = await snapshotFile(3);
  cache.add(file);
  const opened = await cache.take(file, digestA);
  assert.equal(opened?.header.globals[0]?.bits, 3n);
  cache.forget(file);
  assert.equal(cache.size, 0);
  const data = new Uint8Array(opened!.dataLength);
  await opened!.bytes.read([data], opened!.header.dataOffset);
  opened!.bytes.close();
  assert.equal(await cache.take(file, digestA), undefined);
});

test('a snapshot of another module is refused by name, as a fresh open refuses it', async () => {
  const cache = new OpenSnapshotCache(limits);
  const file = await snapshotFile(1, digestB);
  cache.add(file);
  await assert.rejects(cache.take(file, digestA), (err: Error & { code: string; context: Record<string, unknown> }) => {
    assert.equal(err.code, 'SNAPSHOT_WRONG_MODULE');
    assert.equal(err.context.path, file);
    return true;
  });
});

test('a file replaced, removed or written in place by someone else is never handed out', async () => {
  const cache = new OpenSnapshotCache(limits);
  const replaced = await snapshotFile(1);
  const removed = await snapshotFile(2);
  const rewritten = await snapshotFile(3);
  for (const file of [replaced, removed, rewritten]) cache.add(file);
  await cache.take(replaced, digestA); // all three are open now
  await fsp.rename(await snapshotFile(9), replaced);
  await fsp.unlink(removed);
  const handle = await fsp.open(rewritten, 'r+');
  await handle.write(Uint8Array.of(0xff), 0, 1, 20);
  await handle.close();
  for (const file of [replaced, removed, rewritten]) assert.equal(await cache.take(file, digestA), undefined, file);
  assert.equal(cache.size, 0);
});

test('a file that is not a valid snapshot is not kept', async () => {
  const cache = new OpenSnapshotCache(limits);
  const file = path.join(root, 'garbage');
  await fsp.writeFile(file, 'not a snapshot at all, but long enough to have a header and a trailer'.repeat(10));
  cache.add(file);
  cache.add(path.join(root, 'missing'));
  assert.equal(await cache.take(file, digestA), undefined);
  assert.equal(await cache.take(path.join(root, 'missing'), digestA), undefined);
});

test('the least recently used files are closed beyond the limits on files and on layout bytes', async () => {
  const cache = new OpenSnapshotCache({ ...limits, maxFiles: 2 });
  const [a, b, c] = [await snapshotFile(1), await snapshotFile(2), await snapshotFile(3)];
  cache.add(a);
  cache.add(b);
  (await cache.take(a, digestA))?.bytes.close(); // a is now the most recently used
  cache.add(c);
  assert.equal(cache.size, 2);
  assert.equal(await cache.take(b, digestA), undefined);
  assert.ok(await cache.take(a, digestA));
  assert.ok(await cache.take(c, digestA));

  const tiny = new OpenSnapshotCache({ ...limits, maxLayoutBytes: 4 }); // less than one chunk map
  tiny.add(a);
  assert.equal(await tiny.take(a, digestA), undefined);
  assert.equal(tiny.size, 0);
});

test('FsSnapshotStore: a snapshot changed on disk after it was written is read afresh, and a damaged one refused', async () => {
  const store = await FsSnapshotStore.open(path.join(root, 'store'));
  await store.write('op', 'latest', snapshotBytes(1));
  assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 1n);
  await snapshotFile(7, digestA, store.pathOf('op', 'latest'));
  assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 7n);
  await store.write('op', 'latest', snapshotBytes(2));
  assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 2n);
  const handle = await fsp.open(store.pathOf('op', 'latest'), 'r+');
  await handle.write(Uint8Array.of(0x55), 0, 1, 100); // inside the header, under the layout's checksum
  await handle.close();
  await assert.rejects(storedHeader(store, 'op', 'latest'), { code: 'SNAPSHOT_CORRUPT' });
  await store.remove('op');
  assert.equal(await storedHeader(store, 'op', 'latest'), undefined);
});
