import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectGarbage, MemoryReclaimer } from './memory-reclaimer.ts';

test('a burst of drops costs one collection, after the burst', async () => {
  let collections = 0;
  const reclaimer = new MemoryReclaimer({ delayMs: 20, collect: () => collections++ });
  for (let i = 0; i < 50; i++) reclaimer.dropped(65536);
  assert.equal(reclaimer.pendingBytes, 50 * 65536);
  assert.equal(collections, 0);
  await reclaimer.settled();
  assert.equal(collections, 1);
  assert.equal(reclaimer.pendingBytes, 0);
  await reclaimer.settled();
  assert.equal(collections, 1, 'nothing pending, nothing collected');
});

test('dropping nothing schedules nothing', async () => {
  let collections = 0;
  const reclaimer = new MemoryReclaimer({ delayMs: 1, collect: () => collections++ });
  reclaimer.dropped(0);
  await reclaimer.settled();
  assert.equal(collections, 0);
});

test('a full collection frees unreachable objects', async () => {
  const ref = new WeakRef(new WebAssembly.Memory({ initial: 1 }));
  await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target alive until the job ends
  collectGarbage();
  assert.equal(ref.deref(), undefined);
});
