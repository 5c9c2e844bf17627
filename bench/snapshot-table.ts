/**
 * Renders the snapshot section's table of docs/benchmarks.md from a saved
 * `wasm-operator bench snapshot --json` result (the engine's default compression, and zstd
 * forced), next to the targets and the Rust prototype's published figures, so the docs are never typed by hand:
 *
 *   node bench/snapshot-table.ts bench/results/snapshot.json [--write docs/benchmarks.md]
 *
 * With --write, the table between the `snapshot-table` markers in that file is replaced.
 */
import fs from 'node:fs';
import type { BenchReport } from './benchmark.ts';
import { measuredAt } from './report/measured-at.ts';

interface Row {
  metric: string;
  what: string;
  target: string;
  prototype: string;
  format: (value: number) => string;
}

const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;
const bytes = (v: number) => (v < 1024 * 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${(v / 1024 / 1024).toFixed(2)} MiB`);
const ratio = (v: number) => `${v.toFixed(2)}×`;

const rows: Row[] = [
  { metric: 'restore_ms_1mib', what: 'restore, 1 MiB live', target: '< 1 ms', prototype: '≈ 10 ms (1.2 MiB)', format: ms },
  { metric: 'restore_cpu_ms_1mib', what: 'restore, 1 MiB live: main-thread CPU', target: '', prototype: '', format: ms },
  { metric: 'restore_after_restore_ms_1mib', what: 'restore, 1 MiB live, right after another restore', target: '', prototype: '', format: ms },
  { metric: 'restore_ms_16mib', what: 'restore, 16 MiB live', target: '', prototype: '', format: ms },
  { metric: 'restore_ms_64mib', what: 'restore, 64 MiB live', target: '< 40 ms', prototype: '≈ 180 ms (87 MiB)', format: ms },
  { metric: 'restore_cpu_ms_64mib', what: 'restore, 64 MiB live: main-thread CPU', target: '', prototype: '', format: ms },
  { metric: 'restore_after_restore_ms_64mib', what: 'restore, 64 MiB live, right after another restore', target: '', prototype: '', format: ms },
  { metric: 'memory_first_touch_ms_64mib', what: 'floor: first touch of 64 MiB of fresh memory', target: '', prototype: '', format: ms },
  { metric: 'suspend_ms_1mib', what: 'suspend with fsync, 1 MiB live', target: '< 5 ms', prototype: '', format: ms },
  { metric: 'suspend_cpu_ms_1mib', what: 'suspend, 1 MiB live: main-thread CPU', target: '', prototype: '', format: ms },
  { metric: 'suspend_ms_16mib', what: 'suspend with fsync, 16 MiB live', target: '', prototype: '', format: ms },
  { metric: 'suspend_ms_64mib', what: 'suspend with fsync, 64 MiB live', target: '', prototype: '≈ 1,250 ms (87 MiB), 2× memory while writing', format: ms },
  { metric: 'snapshot_bytes_1mib', what: 'snapshot size, 1 MiB live', target: '', prototype: 'the whole memory, raw', format: bytes },
  { metric: 'snapshot_bytes_64mib', what: 'snapshot size, 64 MiB live', target: '', prototype: 'the whole memory, raw', format: bytes },
  { metric: 'snapshot_bytes_16mib_mostly_empty', what: 'snapshot size, 16 MiB memory, 64 KiB used', target: '< 64 KiB', prototype: '16 MiB', format: bytes },
  { metric: 'rss_after_suspend_ratio', what: 'host RSS after suspending 100 instances / empty host', target: '< 1.10×', prototype: '', format: ratio },
  { metric: 'rss_after_suspend_ratio_fixed_mmap_threshold', what: 'the same with `MALLOC_MMAP_THRESHOLD_=131072`', target: '< 1.10×', prototype: '', format: ratio },
  { metric: 'fuel_overhead_ratio', what: 'CPU time with fuel checks / without, CPU-heavy guest', target: '< 1.15×', prototype: 'no guard against runaway guests', format: ratio },
];

export function snapshotTable(report: BenchReport): string {
  const lines = [
    '| measure | target | ours | ours, all zstd | Rust prototype |',
    '|---|---:|---:|---:|---|',
    ...rows.map((row) => {
      const value = report.metrics[row.metric];
      // The same measure with compression forced to zstd, where the bench took it (`<metric>_zstd`).
      const zstd = report.metrics[`${row.metric}_zstd`];
      return `| ${row.what} (\`${row.metric}\`) | ${row.target} | ${value === undefined ? 'not measured' : row.format(value)} | ${zstd === undefined ? '' : row.format(zstd)} | ${row.prototype} |`;
    }),
  ];
  const rss = report.metrics;
  const rssLine = rss.rss_empty_bytes === undefined ? '' : `\nRSS: empty host ${bytes(rss.rss_empty_bytes)}, with 100 instances of ${String(report.params.instanceMib)} MiB ` +
    `${bytes(rss.rss_during_bytes ?? 0)}, after suspending them all ${bytes(rss.rss_after_suspend_bytes ?? 0)}.`;
  return `${lines.join('\n')}\n\n${measuredAt(report)}${rssLine}\n`;
}

function main(args: string[]): void {
  const [resultsPath, flag, target] = args;
  if (resultsPath === undefined) throw new Error('usage: node bench/snapshot-table.ts <results.json> [--write <markdown file>]');
  const table = snapshotTable(JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as BenchReport);
  if (flag !== '--write' || target === undefined) {
    process.stdout.write(table);
    return;
  }
  const start = '<!-- snapshot-table:start -->';
  const end = '<!-- snapshot-table:end -->';
  const doc = fs.readFileSync(target, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${target} has no ${start} ... ${end} markers`);
  fs.writeFileSync(target, `${doc.slice(0, from + start.length)}\n${table}${doc.slice(to)}`);
}

if (import.meta.main) main(process.argv.slice(2));
