import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat } from '../../test/support/wat.ts';
import { MemorySnapshotStore } from './snapshot/memory-snapshot-store.ts';
import { WasmEngine } from './wasm-engine.ts';

// A counter in a global, a greeting in a data segment the guest can erase, and a start function.
const counterGuest = `(module
  (memory 1)
  (data (i32.const 1024) "hello")
  (global $count (mut i32) (i32.const 0))
  (global $starts (mut i32) (i32.const 0))
  (func $start global.get $starts i32.const 1 i32.add global.set $starts)
  (start $start)
  (func (export "bump") (result i32) global.get $count i32.const 1 i32.add global.set $count global.get $count)
  (func (export "starts") (result i32) global.get $starts)
  (func (export "erase") i32.const 1024 i32.const 0 i32.const 5 memory.fill)
  (func (export "grow") (result i32) i32.const 3 memory.grow))`;

async function setup(text = counterGuest) {
  const engine = new WasmEngine();
  const store = new MemorySnapshotStore();
  const module = await engine.load(await wat(text), { source: 'counter.wasm', maxMemoryBytes: 1 << 20 });
  return { engine, store, module };
}

test('instantiate runs the start function once; restore never runs it again', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  assert.equal(await instance.call('starts'), 1);
  await instance.call('bump');
  await engine.suspend(instance, store);
  const restored = await engine.restore(module, store, { operator: 'op' });
  assert.equal(await restored!.call('starts'), 1);
  assert.equal(await restored!.call('bump'), 2);
});

test('restore returns undefined when nothing is stored, and falls back to the base image', async () => {
  const { engine, store, module } = await setup();
  assert.equal(await engine.restore(module, store, { operator: 'op' }), undefined);
  const instance = await engine.instantiate(module, { operator: 'op' });
  await instance.call('bump');
  await engine.snapshot(instance, store, 'base');
  const fromBase = await engine.restore(module, store, { operator: 'op' });
  assert.equal(await fromBase!.call('bump'), 2);
});

test('memory a guest erased in a data segment stays erased after restore', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  assert.equal(new TextDecoder().decode(instance.readBytes(1024, 5)), 'hello');
  await instance.call('erase');
  await instance.call('grow');
  await engine.suspend(instance, store);
  const restored = await engine.restore(module, store, { operator: 'op' });
  assert.deepEqual([...restored!.readBytes(1024, 5)], [0, 0, 0, 0, 0]);
  assert.equal(restored!.residentBytes, 4 * 65536);
});

test('a snapshot of another module under the same operator name is refused', async () => {
  const { engine, store, module } = await setup();
  const other = await engine.load(await wat('(module (memory 1) (global (mut i32) (i32.const 0)) (global (mut i32) (i32.const 0)))'), { source: 'other.wasm', maxMemoryBytes: 1 << 20 });
  const instance = await engine.instantiate(other, { operator: 'op' });
  await engine.suspend(instance, store);
  await assert.rejects(engine.restore(module, store, { operator: 'op' }), { code: 'SNAPSHOT_WRONG_MODULE' });
});

test('a snapshot taken under another ABI version is refused', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  await engine.suspend(instance, store, { abiVersion: 1 });
  await assert.rejects(engine.restore(module, store, { operator: 'op', abiVersion: 2 }), { code: 'SNAPSHOT_INCOMPATIBLE', message: /ABI version 1, not 2/ });
  assert.ok(await engine.restore(module, store, { operator: 'op', abiVersion: 1 }));
});

test('a snapshot larger than the memory limit is refused', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  await instance.call('grow');
  await engine.suspend(instance, store);
  const smaller = await engine.load(await wat(counterGuest), { source: 'counter.wasm', maxMemoryBytes: 2 * 65536 });
  await assert.rejects(engine.restore(smaller, store, { operator: 'op' }), { code: 'SNAPSHOT_INCOMPATIBLE', message: /above the limit of 2/ });
});

test('writing a new base image discards a latest snapshot taken against the old one', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  await engine.snapshot(instance, store, 'base');
  await instance.call('bump');
  await engine.snapshot(instance, store, 'latest');
  const latest = await store.open('op', 'latest', module.digest);
  latest?.bytes.close();
  assert.equal(latest?.header.delta, true);
  await engine.snapshot(instance, store, 'base');
  assert.equal(await store.open('op', 'latest', module.digest), undefined);
});

test('a snapshot is refused during a call, and the call then completes normally', async () => {
  const engine = new WasmEngine();
  const store = new MemorySnapshotStore();
  let release!: () => void;
  const imports = [{ module: 'env', name: 'wait', fn: () => new Promise<void>((resolve) => (release = resolve)), suspending: true }];
  const module = await engine.load(await wat('(module (import "env" "wait" (func $wait)) (memory 1) (func (export "run") (result i32) call $wait i32.const 7))'),
    { source: 'waiter.wasm', maxMemoryBytes: 1 << 20, imports });
  const instance = await engine.instantiate(module, { operator: 'op', imports });
  const call = instance.call('run');
  await assert.rejects(engine.suspend(instance, store), { code: 'INSTANCE_BUSY', message: /so a snapshot was refused/ });
  await new Promise((resolve) => setImmediate(resolve));
  release();
  assert.equal(await call, 7);
  await engine.suspend(instance, store);
});

test('memory usage counts live instances only; suspended ones cost their snapshot on disk', async () => {
  const { engine, store, module } = await setup();
  const a = await engine.instantiate(module, { operator: 'a' });
  await engine.instantiate(module, { operator: 'b' });
  assert.equal(engine.memoryUsage().residentBytes, 2 * 65536);
  await engine.suspend(a, store);
  const usage = engine.memoryUsage();
  assert.equal(usage.instances, 1);
  assert.deepEqual([...usage.residentBytesByOperator], [['b', 65536]]);
  assert.ok((await store.sizeBytes('a')) > 0);
});

test('an instance whose initialization traps is dropped: it holds no memory and counts nowhere', async () => {
  const { engine } = await setup();
  const module = await engine.load(await wat('(module (memory 2) (func $start unreachable) (start $start))'), { source: 'broken.wasm', maxMemoryBytes: 1 << 20 });
  await assert.rejects(engine.instantiate(module, { operator: 'op' }), { code: 'GUEST_TRAP' });
  assert.equal(engine.memoryUsage().instances, 0);
});

test('a suspend whose write fails leaves the instance running, and the old snapshot in place', async () => {
  const { engine, store, module } = await setup();
  const instance = await engine.instantiate(module, { operator: 'op' });
  await instance.call('bump');
  await engine.suspend(instance, store);
  const failing = Object.create(store, {
    write: { value: async () => { throw new Error('disk full'); } },
  }) as MemorySnapshotStore;
  const live = (await engine.restore(module, store, { operator: 'op' }))!;
  await live.call('bump');
  await assert.rejects(engine.suspend(live, failing), /disk full/);
  assert.equal(live.phase, 'idle');
  assert.equal(await live.call('bump'), 3);
  const old = (await engine.restore(module, store, { operator: 'op' }))!;
  assert.equal(await old.call('bump'), 2, 'the last good snapshot is still there');
});
