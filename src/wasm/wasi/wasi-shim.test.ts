import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testGuest } from '../../../test/support/guests.ts';
import { WasmEngine } from '../wasm-engine.ts';
import type { WasiOptions } from './wasi-shim.ts';

async function probe(wasi: WasiOptions = {}) {
  const lines: string[] = [];
  const engine = new WasmEngine();
  const module = await engine.load(await testGuest('wasi-probe-c'), { source: 'wasi-probe.wasm', maxMemoryBytes: 16 << 20 });
  const instance = await engine.instantiate(module, { operator: 'probe', wasi: { log: (stream, line) => lines.push(`${stream}: ${line}`), ...wasi } });
  return { instance, lines };
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
