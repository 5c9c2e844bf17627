/**
 * The SDK section of docs/benchmarks.md: the newest `bench sdk` result, one column per SDK,
 * the targets beside the figures.
 */
import type { BenchReport } from '../benchmark.ts';
import { measuredAt } from './measured-at.ts';

interface Row { metric: string; what: string; target: Partial<Record<string, string>>; format(value: number): string }

const sdkColumns = [['as', 'AssemblyScript'], ['js', 'JS/TypeScript'], ['c', 'C'], ['go', 'Go']] as const;
const kib = (v: number) => (v < 1024 * 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${(v / 1024 / 1024).toFixed(2)} MiB`);
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const us = (v: number) => `${v < 100 ? v.toFixed(1) : v.toFixed(0)} µs`;

const rows: Row[] = [
  { metric: 'wasm_bytes', what: '.wasm size', target: { as: '< 100 KB' }, format: (v) => `${(v / 1000).toFixed(1)} KB` },
  { metric: 'resident_bytes', what: 'resident (linear memory, warm)', target: { as: '< 512 KiB', js: '< 3 MiB' }, format: kib },
  { metric: 'snapshot_bytes', what: 'snapshot on disk, suspended', target: {}, format: kib },
  { metric: 'cold_wake_ms', what: 'cold wake p50 (restore from disk + reconcile)', target: { js: '< 10 ms' }, format: ms },
  { metric: 'cold_wake_p99_ms', what: 'cold wake p99', target: {}, format: ms },
  { metric: 'host_wake_ms', what: 'restore in the host p50 (as it logs it)', target: {}, format: ms },
  { metric: 'warm_reconcile_us', what: 'warm reconcile p50', target: {}, format: us },
  { metric: 'warm_reconcile_p99_us', what: 'warm reconcile p99', target: {}, format: us },
];

/** The table of the newest `sdk` report in `reports`, or a line saying there is none. */
export function sdkSection(reports: readonly BenchReport[]): string {
  const report = reports.filter((r) => r.bench === 'sdk').at(-1);
  if (report === undefined) return '_No results yet: run `npx wasm-operator bench sdk --json > bench/results/sdk.json`, then `npm run bench:report`._';
  const cell = (sdk: string, row: Row) => {
    const value = report.metrics[`${sdk}_${row.metric}`];
    const figure = value === undefined ? 'not measured' : row.format(value);
    const target = row.target[sdk];
    return target === undefined ? figure : `${figure} (target ${target})`;
  };
  return [
    `| measure | ${sdkColumns.map(([, name]) => name).join(' | ')} |`,
    `|---|${sdkColumns.map(() => '---:').join('|')}|`,
    ...rows.map((row) => `| ${row.what} (\`<sdk>_${row.metric}\`) | ${sdkColumns.map(([sdk]) => cell(sdk, row)).join(' | ')} |`),
    '',
    measuredAt(report, 'at the end'),
  ].join('\n');
}
