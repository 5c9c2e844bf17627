import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat } from '../../test/support/wat.ts';
import type { HostImport } from './host-import.ts';
import { WasmEngine } from './wasm-engine.ts';
import type { WasmInstance } from './wasm-instance.ts';

const guest = `(module
  (import "env" "fetch" (func $fetch (param i32) (result i32)))
  (import "env" "boom" (func $boom))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (func (export "fetch_twice") (param i32) (result i32)
    global.get $calls i32.const 1 i32.add global.set $calls
    local.get 0 call $fetch local.get 0 call $fetch i32.add)
  (func (export "calls") (result i32) global.get $calls)
  (func (export "pair") (result i64 f64) i64.const -5 f64.const 2.5)
  (func (export "boom") call $boom)
  (func (export "spin") (loop $l br $l))
  (func (export "spin_catching") (loop $l (try (do (loop $inner br $inner)) (catch_all)) br $l))
  (func (export "sum") (param i32 i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      local.get $i local.get 1 i32.ge_u if local.get $s return end
      local.get $s local.get 0 local.get $i i32.add i32.load8_u i32.add local.set $s
      local.get $i i32.const 1 i32.add local.set $i br $l) i32.const 0)
)`;

interface Harness {
  instance: WasmInstance;
  /** Resolves the pending fetch calls, in order. */
  pending: ((value: number) => void)[];
}

async function start(overrides: Partial<Record<'fetch' | 'boom', HostImport['fn']>> = {}): Promise<Harness> {
  const engine = new WasmEngine({ fuelPerCheck: 100 });
  const pending: ((value: number) => void)[] = [];
  const imports: HostImport[] = [
    { module: 'env', name: 'fetch', fn: overrides.fetch ?? ((x: number) => new Promise<number>((resolve) => pending.push((v) => resolve(v + x)))), suspending: true },
    { module: 'env', name: 'boom', fn: overrides.boom ?? (() => {}), suspending: false },
  ];
  const module = await engine.load(await wat(guest), { source: 'guest.wasm', maxMemoryBytes: 1 << 20, imports });
  return { instance: await engine.instantiate(module, { operator: 'op', imports }), pending };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

test('a guest waiting on a suspending host function is inside a call until the host answers', async () => {
  const { instance, pending } = await start();
  const call = instance.call('fetch_twice', [1]);
  assert.equal(instance.inCall, true);
  await until(() => pending.length === 1);
  pending.shift()!(10);
  await until(() => pending.length === 1);
  assert.equal(instance.inCall, true);
  pending.shift()!(20);
  assert.equal(await call, 32);
  assert.equal(instance.inCall, false);
  assert.equal(instance.phase, 'idle');
});

test('one call at a time: a second call, a snapshot or a drop during a call is refused and changes nothing', async () => {
  const { instance, pending } = await start();
  const call = instance.call('fetch_twice', [0]);
  await until(() => pending.length === 1);
  await assert.rejects(instance.call('calls'), { code: 'INSTANCE_BUSY', message: /operator "op" is calling, so call calls was refused/ });
  assert.throws(() => instance.lockState(), { code: 'INSTANCE_BUSY' });
  assert.throws(() => instance.drop(), { code: 'INSTANCE_BUSY' });
  pending.shift()!(1);
  await until(() => pending.length === 1);
  pending.shift()!(2);
  assert.equal(await call, 3);
  assert.equal(await instance.call('calls'), 1);
});

test('results come back typed: i64 as bigint, several results as an array', async () => {
  const { instance } = await start();
  assert.deepEqual(await instance.call('pair'), [-5n, 2.5]);
});

test('a host function that throws fails the call with the cause, and the instance is unusable after', async () => {
  const cause = new Error('connection reset');
  const { instance } = await start({ boom: () => { throw cause; } });
  await assert.rejects(instance.call('boom'), (err: Error & { code: string }) => {
    assert.equal(err.code, 'GUEST_HOST_FUNCTION_FAILED');
    assert.match(err.message, /called host function env\.boom, which failed, in boom/);
    assert.equal(err.cause, cause);
    return true;
  });
  assert.equal(instance.phase, 'failed');
  await assert.rejects(instance.call('calls'), (err: Error & { code: string }) => err.code === 'INSTANCE_UNUSABLE' && (err.cause as { code: string }).code === 'GUEST_HOST_FUNCTION_FAILED');
});

test('a suspending host function whose promise rejects fails the call the same way', async () => {
  const { instance } = await start({ fetch: () => Promise.reject(new Error('timeout')) });
  await assert.rejects(instance.call('fetch_twice', [1]), { code: 'GUEST_HOST_FUNCTION_FAILED' });
});

test('an endless loop is stopped at its deadline', async () => {
  const { instance } = await start();
  await assert.rejects(instance.call('spin', [], { timeoutMs: 30 }), { code: 'GUEST_DEADLINE', message: /did not finish spin within 30 ms/ });
  assert.equal(instance.phase, 'failed');
});

test('a guest that catches the deadline exception is still stopped', async () => {
  const { instance } = await start();
  await assert.rejects(instance.call('spin_catching', [], { timeoutMs: 30 }), { code: 'GUEST_DEADLINE' });
});

test('the deadline also covers time spent waiting on a host function', async () => {
  const { instance, pending } = await start();
  await assert.rejects(instance.call('fetch_twice', [1], { timeoutMs: 20 }), { code: 'GUEST_DEADLINE' });
  assert.equal(instance.phase, 'failed');
  pending.shift()!(1); // the late answer unwinds the abandoned guest stack without a trace
  await new Promise((resolve) => setTimeout(resolve, 10));
});

test('guest memory can be read and written by pointer and length, and never outside it', async () => {
  const { instance } = await start();
  instance.writeBytes(100, Uint8Array.from([1, 2, 3, 4]));
  assert.deepEqual([...instance.readBytes(100, 4)], [1, 2, 3, 4]);
  assert.equal(await instance.call('sum', [100, 4]), 10);
  assert.equal(instance.memoryView(100, 2).byteOffset, 100);
  assert.equal(instance.residentBytes, 65536);
  for (const [ptr, length] of [[65535, 2], [-1, 1], [0, -1], [1.5, 1]]) {
    assert.throws(() => instance.readBytes(ptr!, length!), { code: 'GUEST_MEMORY_RANGE' });
  }
});

test('calling an export the module does not have is refused without harming the instance', async () => {
  const { instance } = await start();
  await assert.rejects(instance.call('nope'), { code: 'MODULE_EXPORT_MISSING' });
  assert.equal(await instance.call('calls'), 0);
});

test('a dropped instance holds no memory and refuses everything', async () => {
  const { instance } = await start();
  instance.drop();
  assert.equal(instance.residentBytes, 0);
  assert.equal(instance.phase, 'dropped');
  await assert.rejects(instance.call('calls'), { code: 'INSTANCE_UNUSABLE', message: /has been dropped/ });
  assert.throws(() => instance.readBytes(0, 1), { code: 'INSTANCE_UNUSABLE' });
});

test('arguments that do not fit the export are refused before the guest runs', async () => {
  const { instance } = await start();
  await assert.rejects(instance.call('sum', [1]), { code: 'CALL_INVALID_ARGUMENTS', message: /takes \(i32, i32\) -> \(i32\), given 1 argument/ });
  await assert.rejects(instance.call('sum', [1n, 2]), { code: 'CALL_INVALID_ARGUMENTS', message: /argument 0 must be a number \(i32\), not a bigint/ });
  assert.equal(instance.phase, 'idle');
  assert.equal(await instance.call('sum', [0, 0]), 0);
});
