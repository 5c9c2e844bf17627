import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { BenchReport } from '../benchmark.ts';
import { writeReport } from './main.ts';
import { ringSections } from './ring-report.ts';
import { groupRingRuns, marginalBytes } from './ring-results.ts';

const mib = 2 ** 20;
function ringRun(variant: string, operators: number, pssIdleMib: number, rttP50: number, quick = false): BenchReport {
  return {
    bench: 'ring', node: 'v26.10.0', commit: 'abcdef1234567890',
    machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', memoryBytes: 24 * 2 ** 30 },
    params: { variant, operators, quick, startedAt: '2026-01-02T03:04:05.000Z' },
    metrics: { pss_idle_bytes: pssIdleMib * mib, pss_load_peak_bytes: pssIdleMib * mib, rtt_p50_ms: rttP50, rtt_p99_ms: rttP50 * 2, hop_p50_ms: rttP50 / operators, cpu_seconds_per_round: 0.01, api_requests_per_round: operators, watch_connections: operators, startup_seconds: 1 },
  };
}

const reports = [
  ringRun('process-per-operator', 10, 1000, 30),
  ringRun('process-per-operator', 10, 1010, 32),
  ringRun('single-process', 10, 100, 20),
  ringRun('single-process', 100, 190, 200),
  ringRun('single-process', 10, 5000, 1, true),
];

test('runs are grouped by variant and N, quick runs left out, and the marginal is the slope over N', () => {
  const groups = groupRingRuns(reports, ['process-per-operator', 'single-process']);
  assert.deepEqual(groups.map((g) => [g.variant, g.operators, g.runs.length]), [['process-per-operator', 10, 2], ['single-process', 10, 1], ['single-process', 100, 1]]);
  assert.equal(marginalBytes(groups, 'single-process'), mib);
  assert.equal(marginalBytes(groups, 'process-per-operator'), undefined);
});

test('the results table shows medians with the spread of several runs, and the claims say what is not measured yet', () => {
  const sections = ringSections(reports, { memory: 'img/m.svg', roundTrip: 'img/r.svg' });
  assert.match(sections['ring-results'], /\| process-per-operator \| 10 \| 2 \| 1000\.0 \(1000\.0–1010\.0\) \|/);
  assert.match(sections['ring-results'], /single-process 1,024 KiB/);
  assert.match(sections['ring-claims'], /\| single-process vs process-per-operator, idle \(baselines\) \| – \| – \| 10\.0% \(N = 10\) \|/);
  assert.match(sections['ring-claims'], /wasm-suspend vs process-per-operator, idle \| – \| under 2% \| not measured yet \(needs wasm-suspend-as and process-per-operator at one N\)/);
  assert.match(sections['ring-environment'], /4 full runs .* from 2026-01-02 to 2026-01-02/);
  assert.match(sections['ring-environment'], /Test CPU, 2 CPUs, 24\.0 GiB RAM/);
});

test('the report rewrites its sections and plots and keeps the hand-written text', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const results = path.join(dir, 'results');
  const docs = path.join(dir, 'docs');
  await import('node:fs/promises').then((fs) => Promise.all([fs.mkdir(results), fs.mkdir(docs)]));
  for (const [i, r] of reports.entries()) await writeFile(path.join(results, `ring-${i}.json`), JSON.stringify(r));
  await writeFile(path.join(docs, 'benchmarks.md'), '# Benchmarks\n\n## Snapshots\n\nWritten by hand.\n');
  await writeReport(results, docs);
  const first = await readFile(path.join(docs, 'benchmarks.md'), 'utf8');
  assert.match(first, /## Snapshots\n\nWritten by hand\./);
  assert.match(first, /<!-- BEGIN GENERATED: ring-results -->/);
  assert.match(await readFile(path.join(docs, 'img', 'ring-memory.svg'), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(await readFile(path.join(docs, 'img', 'ring-round-trip.svg'), 'utf8'), /^<svg /);
  await writeReport(results, docs);
  assert.equal(await readFile(path.join(docs, 'benchmarks.md'), 'utf8'), first, 'regenerating from the same results changes nothing');
});
