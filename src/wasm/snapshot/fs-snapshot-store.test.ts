import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { FsSnapshotStore } from './fs-snapshot-store.ts';
import type { StoreFileSystem } from './fs-snapshot-store.ts';
import { snapshotBytes, snapshotStoreCases, storedHeader } from './snapshot-store.case.ts';

const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'fs-snapshot-store-'));
after(() => fsp.rm(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `store-${++dirs}`);

snapshotStoreCases('FsSnapshotStore', () => FsSnapshotStore.open(freshDir()));

/** The real file system, except that writes fail with ENOSPC once `capacity` bytes were written. */
function fullDisk(capacity: number): StoreFileSystem {
  let written = 0;
  return {
    ...fsp,
    readdir: (dir) => fsp.readdir(dir),
    open: async (file, flags) => {
      const handle = await fsp.open(file, flags);
      return {
        writev: async (buffers) => {
          const total = buffers.reduce((n, b) => n + b.length, 0);
          if (written + total > capacity) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          written += total;
          return handle.writev(buffers);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

test('FsSnapshotStore: a full disk during a write keeps the old snapshot and leaves no temporary file', async () => {
  const dir = freshDir();
  const store = await FsSnapshotStore.open(dir);
  await store.write('op', 'latest', snapshotBytes(1));
  const crowded = await FsSnapshotStore.open(dir, fullDisk(50));
  await assert.rejects(crowded.write('op', 'latest', snapshotBytes(2)), (err: Error & { code: string; cause: { code: string } }) => {
    assert.equal(err.code, 'SNAPSHOT_WRITE_FAILED');
    assert.equal(err.cause.code, 'ENOSPC');
    return true;
  });
  assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 1n);
  assert.deepEqual(await fsp.readdir(dir), ['op.latest.snap']);
});

test('FsSnapshotStore: a truncated file on disk is refused with its path', async () => {
  const dir = freshDir();
  const store = await FsSnapshotStore.open(dir);
  await store.write('op', 'latest', snapshotBytes(1));
  const file = store.pathOf('op', 'latest');
  await fsp.truncate(file, (await fsp.stat(file)).size - 5);
  await assert.rejects(storedHeader(store, 'op', 'latest'), (err: Error & { code: string; context: Record<string, unknown> }) => {
    assert.equal(err.code, 'SNAPSHOT_TRUNCATED');
    assert.equal(err.context.path, file);
    return true;
  });
});

test('FsSnapshotStore: opening removes temporary files a crash left behind, and nothing else', async () => {
  const dir = freshDir();
  const store = await FsSnapshotStore.open(dir);
  await store.write('op', 'latest', snapshotBytes(1));
  await fsp.writeFile(path.join(dir, 'op.latest.snap.tmp-123456'), 'half a snapshot');
  await FsSnapshotStore.open(dir);
  assert.deepEqual(await fsp.readdir(dir), ['op.latest.snap']);
});

test('FsSnapshotStore: operator names cannot escape the directory', async () => {
  const store = await FsSnapshotStore.open(freshDir());
  assert.equal(path.dirname(store.pathOf('../../etc/passwd', 'latest')), store.directory);
});
