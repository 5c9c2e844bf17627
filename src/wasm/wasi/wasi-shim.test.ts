import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testGuest } from '../../../test/support/guests.ts';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.ts';
import { WasmEngine } from '../wasm-engine.ts';
import type { WasiOptions } from './wasi-shim.ts';

async function probe(wasi: WasiOptions = {}) {
  const lines: string[] = [];
  const engine = new WasmEngine();
  const module = await engine.load(await testGuest('wasi-probe-c'), { source: 'wasi-probe.wasm', maxMemoryBytes: 16 << 20 });
  const instance = await engine.instantiate(module, { operator: 'probe', wasi: { log: (stream, line) => lines.push(`${stream}: ${line}`), ...wasi } });
  return { instance, lines, engine, module };
}

/** A machine's clocks, set by the test: monotonic from its own origin (boot), realtime from the epoch. */
function machineClock(monotonicNs: bigint, realtimeNs: bigint) {
  return { monotonicNs: () => monotonicNs, realtimeNs: () => realtimeNs };
}

test('args and environment come from the operator config', async () => {
  const { instance, lines } = await probe({ args: ['probe', '--verbose'], env: { GREETING: 'hello world' } });
  assert.equal(await instance.call('print_args'), 2);
  await instance.call('print_env');
  assert.deepEqual(lines, ['stdout: arg 0: probe', 'stdout: arg 1: --verbose', 'stdout: GREETING=hello world']);
});

test('stdout and stderr become log lines; a partial line is logged when the call ends', async () => {
  const { instance, lines } = await probe();
  await instance.call('to_stderr');
  await instance.call('partial_line');
  assert.deepEqual(lines, ['stderr: something went wrong: 42', 'stdout: no newline yet']);
});

test('clocks and random bytes come from the host, and can be fixed', async () => {
  let fills = 0;
  const { instance } = await probe({
    clock: { realtimeNs: () => 1_700_000_000_123_456_789n, monotonicNs: () => 42n },
    random: (target) => (fills++, target.fill(0xab)),
  });
  assert.equal(await instance.call('realtime_s'), 1_700_000_000n);
  assert.equal(await instance.call('monotonic_ns'), 42n);
  assert.equal(((await instance.call('random_u32')) as number) >>> 0, 0xabababab);
  assert.ok(fills > 0);
});

test('the monotonic clock continues across a restore on a machine whose clock starts lower, advanced by the time suspended', async () => {
  const s = 1_000_000_000n;
  const epoch = 1_750_000_000n * s;
  const { instance, engine, module } = await probe({ clock: machineClock(90_000n * s, epoch) });
  assert.equal(await instance.call('monotonic_ns'), 90_000n * s);
  const store = new MemorySnapshotStore();
  await engine.suspend(instance, store);
  // Restored 30 s later (wall clock) on a machine that booted 10 s ago.
  const later = await engine.restore(module, store, { operator: 'probe', wasi: { clock: machineClock(10n * s, epoch + 30n * s) } });
  assert.equal(await later!.call('monotonic_ns'), 90_030n * s);
  assert.equal(await later!.call('realtime_s'), 1_750_000_030n);
  await engine.suspend(later!, store);
  // Restored where the wall clock went back an hour: the monotonic clock stands still, never goes back.
  const earlier = await engine.restore(module, store, { operator: 'probe', wasi: { clock: machineClock(5n * s, epoch - 3600n * s) } });
  assert.equal(await earlier!.call('monotonic_ns'), 90_030n * s);
});

test('sleeping suspends only this guest, for about as long as asked', async () => {
  const { instance } = await probe();
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 2);
  const started = performance.now();
  assert.equal(await instance.call('sleep_ms', [40]), 0);
  clearInterval(ticker);
  assert.ok(performance.now() - started >= 39);
  assert.ok(ticks > 0, 'the event loop kept running while the guest slept');
});

test('there are no files: opening one fails, stdin is empty', async () => {
  const { instance } = await probe();
  assert.notEqual(await instance.call('open_errno'), 0);
  assert.equal(await instance.call('read_stdin'), 0);
});

test('proc_exit ends that operator with its exit code, after its output is logged', async () => {
  const { instance, lines } = await probe();
  await assert.rejects(instance.call('exit_with', [7]), { code: 'GUEST_EXIT', exitCode: 7 });
  assert.deepEqual(lines, ['stdout: bye']);
  assert.equal(instance.phase, 'failed');
});
