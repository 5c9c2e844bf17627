/**
 * The ring harness end to end, with real parts: the embedded API server in its own process,
 * the baselines' client-node operators in theirs, /proc measurements. Tiny rings and short
 * windows; what the figures are is the benchmark's business, these tests check what they mean.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runRing, type RingRunOptions } from './run-ring.ts';
import { ringVariants, VariantUnavailableError } from './variants/index.ts';

const quick: Omit<RingRunOptions, 'variant' | 'operators'> = {
  rounds: 3,
  warmupRounds: 1,
  settleMs: 100,
  idleWindowMs: 300,
  memoryLimitBytes: 4 * 2 ** 30,
  log: () => undefined,
};

describe('the ring experiment', { concurrency: false }, () => {
  test('single-process: one PATCH per hop, one shared watch, the driver never counted', async () => {
    const { params, metrics } = await runRing({ variant: ringVariants.get('single-process')!, operators: 3, ...quick });
    assert.equal(params.rounds, 3);
    assert.equal((params.rttsMs as number[]).length, 3);
    assert.deepEqual(params.requestsByMethod, { PATCH: 9 });
    assert.equal(metrics.api_requests_per_round, 3);
    assert.equal(metrics.watch_connections, 1);
    assert.equal(metrics.processes, 1);
    assert.ok(metrics.rtt_p50_ms! > 0 && metrics.rtt_p50_ms! <= metrics.rtt_p99_ms!);
    // A Node.js process with client-node loaded: tens of MB, whatever the machine.
    assert.ok(metrics.pss_idle_bytes! > 20 * 2 ** 20, `pss_idle_bytes ${metrics.pss_idle_bytes}`);
    assert.ok(metrics.pss_idle_min_bytes! <= metrics.pss_idle_bytes! && metrics.pss_idle_bytes! <= metrics.pss_idle_max_bytes!);
    assert.ok(metrics.apiserver_pss_bytes! > 0);
  });

  test('process-per-operator: one process and one watch per operator, every process measured', async () => {
    const { metrics } = await runRing({ variant: ringVariants.get('process-per-operator')!, operators: 2, ...quick });
    assert.equal(metrics.processes, 2);
    assert.equal(metrics.watch_connections, 2);
    assert.equal(metrics.api_requests_per_round, 2);
    assert.ok(metrics.pss_idle_bytes! > 2 * 20 * 2 ** 20, `pss_idle_bytes ${metrics.pss_idle_bytes}`);
  });

  test('a process-per-operator ring that passes the memory limit is stopped while it starts', async () => {
    await assert.rejects(
      runRing({ variant: ringVariants.get('process-per-operator')!, operators: 9, ...quick, memoryLimitBytes: 100 * 2 ** 20 }),
      (err: Error) => err.name === 'MemoryLimitError' && /over the limit of 0\.1 GiB/.test(err.message),
    );
  });

  test('a wasm variant says so when this build has no host to run it', async (t) => {
    const { commands } = await import('../../src/cli/commands/index.ts');
    if (commands().some((c) => c.name() === 'run')) {
      t.diagnostic('this build has `wasm-operator run`: the wasm variant runs');
      const { metrics } = await runRing({ variant: ringVariants.get('wasm-warm-as')!, operators: 2, ...quick });
      assert.equal(metrics.api_requests_per_round, 2);
      return;
    }
    await assert.rejects(runRing({ variant: ringVariants.get('wasm-warm-as')!, operators: 2, ...quick }), (err: Error) => err instanceof VariantUnavailableError && /host not available yet/.test(err.message));
  });
});
