import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';
import { snapshotBytes, snapshotStoreCases, storedHeader } from './snapshot-store.case.ts';

snapshotStoreCases('MemorySnapshotStore', async () => new MemorySnapshotStore());

test('MemorySnapshotStore: a damaged header is refused on open', async () => {
  const store = new MemorySnapshotStore();
  await store.write('op', 'latest', snapshotBytes(1));
  const damaged = store.rawFile('op', 'latest')!.slice();
  damaged[100]! ^= 0x10;
  store.setRawFile('op', 'latest', damaged);
  await assert.rejects(storedHeader(store, 'op', 'latest'), { code: 'SNAPSHOT_CORRUPT' });
});
