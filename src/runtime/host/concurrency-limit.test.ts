import assert from 'node:assert/strict';
import test from 'node:test';
import { ConcurrencyLimit } from './concurrency-limit.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('runs at most limit tasks at once, the others in the order they asked', async () => {
  const limit = new ConcurrencyLimit(2);
  const gates = [deferred(), deferred(), deferred(), deferred()];
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const runs = gates.map((gate, i) => limit.run(async () => {
    started.push(i);
    most = Math.max(most, ++running);
    await gate.promise;
    running--;
    return i;
  }));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  gates[1]!.resolve();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2]);
  for (const gate of gates) gate.resolve();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
  assert.deepEqual(started, [0, 1, 2, 3]);
  assert.equal(most, 2);
});

test('a task that throws frees its slot and its caller gets the error', async () => {
  const limit = new ConcurrencyLimit(1);
  await assert.rejects(limit.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limit.run(() => Promise.resolve('next')), 'next');
});

test('refuses a limit that is not a positive integer', () => {
  assert.throws(() => new ConcurrencyLimit(0), RangeError);
  assert.throws(() => new ConcurrencyLimit(1.5), RangeError);
});
