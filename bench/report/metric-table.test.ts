import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricSection, wakeRows } from './metric-table.ts';
import { sampleReport } from './sample-report.ts';

const wakeRun = (commit: string, metrics: Record<string, number>) => sampleReport('wake', commit, metrics, [1.25, 2, 3]);

test('a one-run section shows the newest run, each figure with its target, and the machine', () => {
  const table = metricSection([wakeRun('0000000000aaaa', { warm_p99_ms: 9 }), wakeRun('1111111111bbbb', { warm_p99_ms: 1.234, host_idle_rss_bytes: 80 * 2 ** 20 })], 'wake', wakeRows);
  assert.match(table, /\| event to reconcile entry, warm operator, p99 \(`warm_p99_ms`\) \| 1\.23 ms \| < 2 ms \|/);
  assert.match(table, /\| host RSS, 100 suspended operators \(`host_idle_rss_bytes`\) \| 80\.0 MiB \| < 80 MiB \|/);
  assert.match(table, /\(`suspended_p50_ms`\) \| not measured \|/);
  assert.match(table, /commit `1111111111` on 2 × Test CPU, Node v26\.10\.0; load average 1\.3, 2\.0, 3\.0\./);
});

test('without a result the section says how to make one', () => {
  assert.match(metricSection([], 'apiserver', []), /No results yet: run `npx wasm-operator bench apiserver --json > bench\/results\/apiserver\.json`/);
});
