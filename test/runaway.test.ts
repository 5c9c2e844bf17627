/**
 * Runaway guests (an endless loop, endless recursion, endless memory growth, a trap, an
 * exit, a wait past the deadline) are each stopped and reported with their own error code,
 * while 100 other instances of the same module keep serving calls correctly.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { WasmEngine } from '../src/wasm/index.ts';
import type { HostImport, WasmInstance } from '../src/wasm/index.ts';
import { testGuest } from './support/guests.ts';

function waitImport(delayMs: number): HostImport {
  const fn = async (x: number) => {
    await (delayMs === 0 ? new Promise((resolve) => setImmediate(resolve)) : sleep(delayMs));
    return x * 2;
  };
  return { module: 'env', name: 'wait', params: ['i32'], results: ['i32'], fn, suspending: true };
}

test('runaway guests are stopped and reported while 100 other instances keep serving calls', async () => {
  const engine = new WasmEngine({ fuelPerCheck: 1000 });
  const module = await engine.load(await testGuest('runaway-as'), { source: 'runaway.wasm', maxMemoryBytes: 8 << 20, imports: [waitImport(0)] });
  const start = (operator: string, delayMs = 0) => engine.instantiate(module, { operator, imports: [waitImport(delayMs)] });

  const workers = await Promise.all(Array.from({ length: 100 }, (_, i) => start(`worker-${i}`)));
  const rounds = 30;
  const serving = workers.map(async (worker, i) => {
    const results: unknown[] = [];
    for (let n = 1; n <= rounds; n++) results.push(await worker.call('work', [i], { timeoutMs: 60_000 }));
    return results;
  });

  const runaways: [string, WasmInstance, Promise<unknown>, string, RegExp][] = [];
  // Each failure is caught as a value at once, so no rejection waits unhandled while others run.
  const outcome = (call: Promise<unknown>) => call.then((value) => ({ value }), (error: unknown) => ({ error }));
  const misbehave = async (name: string, exportName: string, args: number[], timeoutMs: number, code: string, message: RegExp, delayMs = 0) => {
    const instance = await start(name, delayMs);
    runaways.push([name, instance, outcome(instance.call(exportName, args, { timeoutMs })), code, message]);
    await new Promise((resolve) => setImmediate(resolve)); // let the workers make progress in between
  };
  await misbehave('spinner', 'spin', [], 200, 'GUEST_DEADLINE', /did not finish spin within 200 ms/);
  await misbehave('recurser', 'recurse', [0], 10_000, 'GUEST_TRAP', /stack overflow/);
  await misbehave('hoarder', 'hog', [], 10_000, 'GUEST_MEMORY_LIMIT', /above its limit of 8388608 bytes/);
  await misbehave('trapper', 'trap', [], 10_000, 'GUEST_TRAP', /unreachable/);
  await misbehave('quitter', 'exit', [3], 10_000, 'GUEST_EXIT', /exited with code 3/);
  await misbehave('staller', 'stall', [1], 100, 'GUEST_DEADLINE', /did not finish stall within 100 ms/, 400);

  for (const [name, instance, call, code, message] of runaways) {
    const { error } = (await call) as { error?: Error & { code: string } };
    assert.ok(error !== undefined, `${name} should have failed`);
    assert.equal(error.code, code, `${name}: ${error.message}`);
    assert.match(error.message, message);
    assert.match(error.message, new RegExp(`operator "${name}"`));
    assert.equal(instance.phase, 'failed', name);
    await assert.rejects(instance.call('work', [1]), { code: 'INSTANCE_UNUSABLE' });
  }

  const results = await Promise.all(serving);
  results.forEach((calls, i) => assert.deepEqual(calls, Array.from({ length: rounds }, (_, n) => i * 2 + n + 1), `worker-${i}`));
  for (const worker of workers) {
    assert.equal(worker.phase, 'idle');
    assert.equal(await worker.call('work', [0]), rounds + 1);
  }
  // The staller's host function settles after the deadline; its guest stack unwinds quietly.
  await sleep(500);
  assert.equal(engine.memoryUsage().instances, 106);
});
