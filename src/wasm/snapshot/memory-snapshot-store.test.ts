import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';
import { digestA, snapshotBytes, snapshotStoreCases } from './snapshot-store.case.ts';

snapshotStoreCases('MemorySnapshotStore', async () => new MemorySnapshotStore());

test('MemorySnapshotStore: damaged bytes are refused on read', async () => {
  const store = new MemorySnapshotStore();
  await store.write('op', 'latest', snapshotBytes(1));
  const damaged = store.rawFile('op', 'latest')!.slice();
  damaged[damaged.length - 20]! ^= 0x10;
  store.setRawFile('op', 'latest', damaged);
  await assert.rejects(store.read('op', 'latest', digestA), { code: 'SNAPSHOT_CORRUPT' });
});
