import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendCustomSection } from '../build/custom-section.ts';
import { wat } from '../../test/support/wat.ts';
import type { ModuleError } from './errors.ts';
import { imageSectionName } from './module-image.ts';
import { MemorySnapshotStore } from './snapshot/memory-snapshot-store.ts';
import { WasmEngine } from './wasm-engine.ts';

// A start function that counts its runs, state in a global and in memory, and a growable memory.
const guest = `(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory 1)
  (data (i32.const 1024) "hello")
  (global $starts (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 0))
  (func $start global.get $starts i32.const 1 i32.add global.set $starts)
  (start $start)
  (func (export "starts") (result i32) global.get $starts)
  (func (export "bump") (result i64) global.get $count i64.const 1 i64.add global.set $count global.get $count)
  (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "monotonic") (result i64) i32.const 1 i64.const 0 i32.const 0 call $clock drop i32.const 0 i64.load))`;

const limit = { source: 'guest.wasm', maxMemoryBytes: 1 << 20 };

/** The guest's code, and an instance of it brought to a known state: started, bumped twice, memory grown and written. */
async function imaged(clock?: { monotonicNs(): bigint; realtimeNs(): bigint }) {
  const code = await wat(guest);
  const engine = new WasmEngine({ reclaimMemory: false });
  const instance = await engine.instantiate(await engine.load(code, limit), { operator: 'build', wasi: clock === undefined ? {} : { clock } });
  await instance.call('bump');
  await instance.call('bump');
  await instance.call('grow', [2]);
  await instance.call('poke', [2 * 65536 + 5, 42]);
  await instance.call('poke', [1024, 0]); // over the data segment: the image must win over it
  return { code, engine, image: await engine.image(instance) };
}

async function refusal(bytes: Uint8Array, maxMemoryBytes = limit.maxMemoryBytes): Promise<ModuleError> {
  try {
    await new WasmEngine().load(bytes, { ...limit, maxMemoryBytes });
  } catch (err) {
    return err as ModuleError;
  }
  assert.fail('the module was loaded');
}

test('a module with an image starts from it: its start function does not run, memory and globals are the image\'s', async () => {
  const { code, engine, image } = await imaged();
  const module = await engine.load(appendCustomSection(code, imageSectionName, image), limit);
  assert.equal(module.image?.header.moduleDigest, module.code.digest);
  const instance = await engine.instantiate(module, { operator: 'op' });
  assert.equal(await instance.call('starts'), 1, 'the start function ran once, at build time');
  assert.equal(await instance.call('bump'), 3n);
  assert.equal(instance.residentBytes, 3 * 65536);
  assert.equal(await instance.call('byte', [2 * 65536 + 5]), 42);
  assert.equal(await instance.call('byte', [1024]), 0, 'the data segment does not overwrite the image');
  assert.equal(await instance.call('byte', [1025]), 'e'.charCodeAt(0));
});

test('modules loaded from the same bytes share one copy of their image; other bytes or another limit get their own', async () => {
  const { code, engine, image } = await imaged();
  const bytes = appendCustomSection(code, imageSectionName, image);
  const [a, b] = [await engine.load(bytes, limit), await engine.load(bytes.slice(), { ...limit, source: 'again.wasm' })];
  assert.equal(a.image, b.image);
  const other = await engine.load(appendCustomSection(code, imageSectionName, await engine.image(await engine.instantiate(a, { operator: 'other' }))), limit);
  assert.notEqual(other.image, a.image);
  assert.notEqual((await engine.load(bytes, { ...limit, maxMemoryBytes: 2 << 20 })).image, a.image);
});

test('a module without an image, in the same engine, shares the compiled code and starts cold', async () => {
  const { code, engine, image } = await imaged();
  const withImage = await engine.load(appendCustomSection(code, imageSectionName, image), limit);
  const without = await engine.load(code, limit);
  assert.equal(withImage.code, without.code);
  const instance = await engine.instantiate(without, { operator: 'op' });
  assert.deepEqual([await instance.call('starts'), await instance.call('bump')], [1, 1n]);
});

test('the guest\'s monotonic clock continues from the image, never from the new machine\'s origin', async () => {
  const s = 1_000_000_000n;
  const { code, engine, image } = await imaged({ monotonicNs: () => 500n * s, realtimeNs: () => 1_000_000n * s });
  const module = await engine.load(appendCustomSection(code, imageSectionName, image), limit);
  const instance = await engine.instantiate(module, { operator: 'op', wasi: { clock: { monotonicNs: () => 3n * s, realtimeNs: () => 1_000_060n * s } } });
  assert.equal(await instance.call('monotonic'), 560n * s, 'built at 500 s, started a minute later');
});

test('the host\'s snapshots of a module started from an image restore as any other', async () => {
  const { code, engine, image } = await imaged();
  const module = await engine.load(appendCustomSection(code, imageSectionName, image), limit);
  const instance = await engine.instantiate(module, { operator: 'op' });
  const store = new MemorySnapshotStore();
  await engine.snapshot(instance, store, 'base');
  await instance.call('bump');
  await engine.suspend(instance, store);
  const restored = await engine.restore(module, store, { operator: 'op' });
  assert.deepEqual([await restored!.call('bump'), await restored!.call('starts')], [4n, 1]);
});

test('an image made for other code is refused with the module', async () => {
  const { image } = await imaged();
  const other = await wat(guest.replace('(memory 1)', '(memory 1) (func (export "extra"))'));
  const err = await refusal(appendCustomSection(other, imageSectionName, image));
  assert.equal(err.code, 'MODULE_IMAGE_INVALID');
  assert.match(err.message, /wasm-operator\.image section that was made for other code than this module's; rebuild the operator/);
});

test('a damaged image, two images, an image of another format version are refused; an image above the memory limit too', async () => {
  const { code, image } = await imaged();
  const flipped = image.slice();
  flipped[flipped.length - 30]! ^= 0x10;
  const oldVersion = image.slice();
  oldVersion[8] = 1;
  const cases: [Uint8Array, RegExp][] = [
    [appendCustomSection(code, imageSectionName, flipped), /not a usable snapshot: it failed its checksum/],
    [appendCustomSection(code, imageSectionName, image.subarray(0, 90)), /not a usable snapshot/],
    [appendCustomSection(code, imageSectionName, oldVersion), /format version 1; this engine reads version 4/],
    [appendCustomSection(appendCustomSection(code, imageSectionName, image), imageSectionName, image), /appears 2 times/],
  ];
  for (const [bytes, reason] of cases) {
    const err = await refusal(bytes);
    assert.equal(err.code, 'MODULE_IMAGE_INVALID');
    assert.match(err.message, reason);
  }
  const tooLarge = await refusal(appendCustomSection(code, imageSectionName, image), 2 * 65536);
  assert.equal(tooLarge.code, 'MODULE_MEMORY_TOO_LARGE');
  assert.match(tooLarge.message, /starts from an image of 3 pages \(192 KiB\), above the limit of 2 pages/);
});
