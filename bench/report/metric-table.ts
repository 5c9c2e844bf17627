/**
 * The sections of docs/benchmarks.md for benchmarks whose result is one list of figures
 * (`apiserver`, `wake`): the newest run's figures, one row each, with the target
 * beside the figure it applies to.
 */
import type { BenchReport } from '../benchmark.ts';
import { measuredAt } from './measured-at.ts';

export interface MetricRow {
  metric: string;
  what: string;
  target?: string;
  format(value: number): string;
}

const mib = (v: number) => `${(v / 2 ** 20).toFixed(1)} MiB`;
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const perSecond = (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`;

export const apiserverRows: MetricRow[] = [
  { metric: 'creates_per_s_memory', what: 'creates, in memory', target: '≥ 3,000/s', format: perSecond },
  { metric: 'updates_per_s_memory', what: 'updates, in memory', format: perSecond },
  { metric: 'creates_per_s_durable', what: 'creates, persisted (`--data-dir`)', target: '≥ 1,000/s', format: perSecond },
  { metric: 'creates_per_s_durable_serial', what: 'creates, persisted, one at a time', format: perSecond },
  { metric: 'list_10k_ms', what: 'list of 10,000 objects', format: ms },
  { metric: 'watch_p50_ms_100_watchers', what: 'watch delivery to 100 watchers, p50', format: ms },
  { metric: 'watch_p99_ms_100_watchers', what: 'watch delivery to 100 watchers, p99', target: '< 50 ms', format: ms },
  { metric: 'server_cpu_us_per_create_memory', what: 'server CPU per create, in memory', format: (v) => `${Math.round(v)} µs` },
  { metric: 'server_cpu_us_per_create_durable', what: 'server CPU per create, persisted', format: (v) => `${Math.round(v)} µs` },
  { metric: 'server_rss_mb_10k_objects', what: 'server RSS with 10,000 objects', format: (v) => `${v.toFixed(1)} MB` },
];

export const wakeRows: MetricRow[] = [
  { metric: 'warm_p50_ms', what: 'event to reconcile entry, warm operator, p50', format: ms },
  { metric: 'warm_p99_ms', what: 'event to reconcile entry, warm operator, p99', target: '< 2 ms', format: ms },
  { metric: 'suspended_p50_ms', what: 'event to reconcile entry, suspended 1 MiB guest (restore from disk), p50', format: ms },
  { metric: 'suspended_p99_ms', what: 'the same, p99', target: '< 10 ms', format: ms },
  { metric: 'reconciles_per_s_100_operators', what: 'reconciles per second through one host with 100 operators', format: perSecond },
  { metric: 'host_idle_rss_bytes_1', what: 'host RSS, 1 suspended operator', format: mib },
  { metric: 'host_idle_rss_bytes', what: 'host RSS, 100 suspended operators', target: '< 80 MiB', format: mib },
  { metric: 'host_idle_pss_bytes', what: 'host PSS, 100 suspended operators', format: mib },
  { metric: 'host_idle_rss_bytes_1000', what: 'host RSS, 1,000 suspended operators', format: mib },
  { metric: 'marginal_suspended_bytes', what: 'one more suspended operator (100 to 1,000)', format: (v) => `${(v / 1024).toFixed(1)} KiB` },
];

/** The table of the newest `bench` report in `reports`, or a line saying how to make one. */
export function metricSection(reports: readonly BenchReport[], bench: string, rows: readonly MetricRow[]): string {
  const report = reports.filter((r) => r.bench === bench).at(-1);
  if (report === undefined) return `_No results yet: run \`npx wasm-operator bench ${bench} --json > bench/results/${bench}.json\`, then \`npm run bench:report\`._`;
  return [
    '| measure | result | target |',
    '|---|---:|---|',
    ...rows.map((row) => {
      const value = report.metrics[row.metric];
      return `| ${row.what} (\`${row.metric}\`) | ${value === undefined ? 'not measured' : row.format(value)} | ${row.target ?? ''} |`;
    }),
    '',
    measuredAt(report),
  ].join('\n');
}
