/**
 * The ring experiment's result files, grouped by (variant, N): the medians and spreads the
 * report prints and plots. Quick runs (smoke tests) are left out.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { percentile, type BenchReport } from '../benchmark.ts';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Every full run of one variant at one N. */
export interface RingGroup {
  variant: string;
  operators: number;
  runs: BenchReport[];
}

/** Every `*.json` BenchReport in `dir`, oldest file name first. */
export async function readReports(dir: string): Promise<BenchReport[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const reports: BenchReport[] = [];
  for (const name of names) {
    const report = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as BenchReport;
    if (typeof report.bench !== 'string' || typeof report.metrics !== 'object') throw new Error(`${path.join(dir, name)} is not a benchmark report`);
    reports.push(report);
  }
  return reports;
}

/** The full (not --quick) `ring` runs, grouped by variant and N, in `variantOrder` then by N. */
export function groupRingRuns(reports: readonly BenchReport[], variantOrder: readonly string[]): RingGroup[] {
  const groups = new Map<string, RingGroup>();
  for (const report of reports) {
    if (report.bench !== 'ring' || report.params.quick === true) continue;
    const variant = String(report.params.variant);
    const operators = Number(report.params.operators);
    const key = `${variant}@${operators}`;
    const group = groups.get(key) ?? { variant, operators, runs: [] };
    group.runs.push(report);
    groups.set(key, group);
  }
  const rank = (v: string) => (variantOrder.includes(v) ? variantOrder.indexOf(v) : variantOrder.length);
  return [...groups.values()].sort((a, b) => rank(a.variant) - rank(b.variant) || a.variant.localeCompare(b.variant) || a.operators - b.operators);
}

/** Median, min and max of one metric over a group's runs; undefined when no run has it. */
export function spread(group: RingGroup, metric: string): Spread | undefined {
  const values = group.runs.map((r) => r.metrics[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return undefined;
  return { median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The memory one more operator costs: the least-squares slope of median idle PSS over N,
 * across every N the variant ran at; undefined with fewer than two distinct N.
 */
export function marginalBytes(groups: readonly RingGroup[], variant: string): number | undefined {
  const points = groups
    .filter((g) => g.variant === variant)
    .map((g) => [g.operators, spread(g, 'pss_idle_bytes')?.median] as const)
    .filter((p): p is readonly [number, number] => p[1] !== undefined);
  if (new Set(points.map(([n]) => n)).size < 2) return undefined;
  const meanX = points.reduce((s, [x]) => s + x, 0) / points.length;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const covariance = points.reduce((s, [x, y]) => s + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
  return covariance / variance;
}
