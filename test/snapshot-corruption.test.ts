/**
 * Damaged snapshots on a real disk, restored through the engine with a real guest: each is
 * refused with a SnapshotError naming the operator and file, nothing is restored, and the
 * operator can start cold right after.
 */
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { FsSnapshotStore, WasmEngine } from '../src/wasm/index.ts';
import type { HostImport, SnapshotError, WasmModule } from '../src/wasm/index.ts';
import { testGuest } from './support/guests.ts';

const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'snapshot-corruption-'));
after(() => fsp.rm(root, { recursive: true, force: true }));

const imports: HostImport[] = [{ module: 'env', name: 'host_value', fn: (x: number) => x + 1, suspending: false }];
const engine = new WasmEngine();
const load = async (guest: 'differential-c' | 'differential-as') =>
  engine.load(await testGuest(guest), { source: `${guest}.wasm`, maxMemoryBytes: 64 << 20, imports });

/** An operator that ran init, took its base image, worked, and was suspended. */
async function suspended(module: WasmModule, operator: string): Promise<FsSnapshotStore> {
  const store = await FsSnapshotStore.open(path.join(root, operator));
  const instance = await engine.instantiate(module, { operator, imports });
  await instance.call('init', [7n]);
  await engine.snapshot(instance, store, 'base');
  for (let i = 0; i < 50; i++) await instance.call('step', [i]);
  await engine.suspend(instance, store);
  return store;
}

async function refused(module: WasmModule, store: FsSnapshotStore, operator: string, code: string): Promise<void> {
  await assert.rejects(engine.restore(module, store, { operator, imports }), (err: SnapshotError) => {
    assert.equal(err.code, code, err.message);
    assert.equal(err.context.operator, operator);
    assert.match(err.message, /start the operator cold$/);
    return true;
  });
  const cold = await engine.instantiate(module, { operator, imports });
  await cold.call('init', [7n]);
  assert.equal(typeof (await cold.call('step', [0])), 'bigint');
}

test('a flipped byte anywhere in the latest snapshot is refused', async () => {
  const module = await load('differential-c');
  const store = await suspended(module, 'flipped');
  const file = store.pathOf('flipped', 'latest');
  const bytes = await fsp.readFile(file);
  for (const at of [20, 90, Math.floor(bytes.length / 2), bytes.length - 10]) {
    const damaged = Buffer.from(bytes);
    damaged[at]! ^= 0x40;
    await fsp.writeFile(file, damaged);
    await assert.rejects(engine.restore(module, store, { operator: 'flipped', imports }), (err: SnapshotError) => err.code.startsWith('SNAPSHOT_'));
  }
  await fsp.writeFile(file, bytes);
  assert.ok(await engine.restore(module, store, { operator: 'flipped', imports }), 'the undamaged file still restores');
});

test('a truncated snapshot is refused', async () => {
  const module = await load('differential-c');
  const store = await suspended(module, 'truncated');
  const file = store.pathOf('truncated', 'latest');
  await fsp.truncate(file, (await fsp.stat(file)).size - 100);
  await refused(module, store, 'truncated', 'SNAPSHOT_TRUNCATED');
});

test('a delta whose base image is gone is refused', async () => {
  const module = await load('differential-c');
  const store = await suspended(module, 'baseless');
  await fsp.rm(store.pathOf('baseless', 'base'));
  await refused(module, store, 'baseless', 'SNAPSHOT_BASE_MISSING');
});

test('a snapshot of another module is refused', async () => {
  const store = await suspended(await load('differential-as'), 'replaced');
  await refused(await load('differential-c'), store, 'replaced', 'SNAPSHOT_WRONG_MODULE');
});
