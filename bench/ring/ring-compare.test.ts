import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BenchOutcome } from '../benchmark.ts';
import { compareMetrics } from './ring-compare.ts';

const run = (pss: number, rttP50: number): BenchOutcome => ({ params: {}, metrics: { pss_idle_bytes: pss, rtt_p50_ms: rttP50, pss_load_bytes: pss, rtt_p99_ms: rttP50, cpu_seconds: 1, api_requests: 10, watch_connections: 1 } });

test('ratios divide idle PSS and round trips of the runs at N; marginals come from the second N', () => {
  const runs = new Map([
    ['process-per-operator@10', run(1_000_000_000, 50)],
    ['single-process@10', run(100_000_000, 20)],
    ['wasm-suspend-as@10', run(40_000_000, 80)],
    ['wasm-suspend-as@20', run(40_400_000, 160)],
    ['wasm-warm-as@10', run(45_000_000, 10)],
    ['wasm-warm-as@20', run(47_000_000, 20)],
    ['wasm-adaptive-as@10', run(42_000_000, 12)],
  ]);
  const m = compareMetrics(runs, 10, 20);
  assert.equal(m.ratio_suspend_vs_process_per_operator, 0.04);
  assert.equal(m.ratio_suspend_vs_single_process, 0.4);
  assert.equal(m.ratio_warm_as_vs_process_per_operator, 0.045);
  assert.equal(m.marginal_suspended_bytes, 40_000);
  assert.equal(m.marginal_warm_as_bytes, 200_000);
  assert.equal(m.ratio_adaptive_vs_warm_rtt_p50, 1.2);
  assert.equal(m.single_process_pss_idle_bytes, 100_000_000);
  assert.equal(m.wasm_suspend_as_pss_idle_bytes, 40_000_000);
  assert.equal(m.wasm_suspend_as_rtt_p50_ms, 80, 'the larger ring is not reported per variant');
});

test('a figure whose runs are missing is left out rather than reported as NaN', () => {
  const m = compareMetrics(new Map([['process-per-operator@10', run(1e9, 50)], ['single-process@10', run(1e8, 20)]]), 10, 20);
  assert.equal(m.ratio_single_process_vs_process_per_operator, 0.1);
  assert.equal('ratio_suspend_vs_process_per_operator' in m, false);
  assert.equal('marginal_suspended_bytes' in m, false);
});
