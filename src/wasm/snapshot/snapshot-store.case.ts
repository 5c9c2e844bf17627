/**
 * The behaviour every SnapshotStore must show, run by each implementation's own test file:
 * `snapshotStoreCases('FsSnapshotStore', () => FsSnapshotStore.open(dir))`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSnapshot } from './snapshot-encoder.ts';
import type { SnapshotHeader } from './snapshot-format.ts';
import type { SnapshotRole, SnapshotStore } from './snapshot-store.ts';

export const digestA = `sha256:${'aa'.repeat(32)}`;
export const digestB = `sha256:${'bb'.repeat(32)}`;

/** A real snapshot file's bytes (as a stream) whose memory is filled with `fill`. */
export function snapshotBytes(fill: number, digest = digestA): AsyncIterable<Uint8Array> {
  const memory = new Uint8Array(65536).fill(fill, 0, 5000);
  return encodeSnapshot({ moduleDigest: digest, abiVersion: 1, memory, globals: [{ type: 'i32', bits: BigInt(fill) }], clock: { monotonicNs: 0n, realtimeNs: 0n } }).chunks;
}

/** Opens a stored snapshot, closes it again, and returns its verified header (undefined when none is stored). */
export async function storedHeader(store: SnapshotStore, operator: string, role: SnapshotRole, digest = digestA): Promise<SnapshotHeader | undefined> {
  const opened = await store.open(operator, role, digest);
  opened?.bytes.close();
  return opened?.header;
}

/** A stream that yields a little, then fails, like an encoder that hits an error. */
export async function* failingBytes(): AsyncIterable<Uint8Array> {
  yield new Uint8Array(100);
  throw new Error('encoder failed');
}

export function snapshotStoreCases(name: string, open: () => Promise<SnapshotStore>): void {
  test(`${name}: a written snapshot reads back verified`, async () => {
    const store = await open();
    const { sizeBytes } = await store.write('cert-renewer', 'latest', snapshotBytes(1));
    assert.deepEqual((await storedHeader(store, 'cert-renewer', 'latest'))?.globals, [{ type: 'i32', bits: 1n }]);
    assert.equal(await store.sizeBytes('cert-renewer'), sizeBytes);
  });

  test(`${name}: nothing stored reads as undefined`, async () => {
    const store = await open();
    assert.equal(await storedHeader(store, 'nobody', 'latest'), undefined);
    assert.equal(await store.sizeBytes('nobody'), 0);
  });

  test(`${name}: never restores a snapshot taken for another module digest`, async () => {
    const store = await open();
    await store.write('cert-renewer', 'latest', snapshotBytes(1));
    await assert.rejects(storedHeader(store, 'cert-renewer', 'latest', digestB), (err: Error & { code: string; context: Record<string, unknown> }) => {
      assert.equal(err.code, 'SNAPSHOT_WRONG_MODULE');
      assert.equal(err.context.operator, 'cert-renewer');
      assert.match(err.message, /snapshot of "cert-renewer" at .+ was taken from module .+; start the operator cold/);
      return true;
    });
  });

  test(`${name}: roles and operators are kept apart`, async () => {
    const store = await open();
    await store.write('a', 'base', snapshotBytes(1));
    await store.write('a', 'latest', snapshotBytes(2));
    await store.write('b/with:odd name', 'latest', snapshotBytes(3));
    assert.equal((await storedHeader(store, 'a', 'base'))?.globals[0]?.bits, 1n);
    assert.equal((await storedHeader(store, 'a', 'latest'))?.globals[0]?.bits, 2n);
    assert.equal((await storedHeader(store, 'b/with:odd name', 'latest'))?.globals[0]?.bits, 3n);
    assert.equal(await storedHeader(store, 'b/with:odd name', 'base'), undefined);
  });

  test(`${name}: a newer write replaces the older one`, async () => {
    const store = await open();
    await store.write('op', 'latest', snapshotBytes(1));
    await store.write('op', 'latest', snapshotBytes(2));
    assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 2n);
  });

  test(`${name}: a write whose bytes fail midway keeps the previous snapshot intact`, async () => {
    const store = await open();
    await store.write('op', 'latest', snapshotBytes(1));
    await assert.rejects(store.write('op', 'latest', failingBytes()), { code: 'SNAPSHOT_WRITE_FAILED', message: /the previous snapshot is kept/ });
    assert.equal((await storedHeader(store, 'op', 'latest'))?.globals[0]?.bits, 1n);
  });

  test(`${name}: remove deletes one role or all, and missing ones are fine`, async () => {
    const store = await open();
    await store.write('op', 'base', snapshotBytes(1));
    await store.write('op', 'latest', snapshotBytes(2));
    await store.remove('op', 'latest');
    assert.equal(await storedHeader(store, 'op', 'latest'), undefined);
    assert.ok((await storedHeader(store, 'op', 'base')) !== undefined);
    await store.remove('op');
    await store.remove('op');
    assert.equal(await store.sizeBytes('op'), 0);
  });
}
