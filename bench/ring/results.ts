/**
 * Result files: one JSON BenchReport per run under bench/results/, named
 * `<bench>-<variant>-n<N>-<UTC date and time>.json`, the input of `npm run bench:report`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../../src/project-path.ts';
import { benchReport, type BenchOutcome, type BenchReport } from '../benchmark.ts';

/** bench/results/ of the project. */
export function defaultResultsDir(): string {
  return projectPath('bench', 'results');
}

/** `20260102T030405Z`: sorts by time, safe in a file name. */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Writes `outcome` as the report `bench` would print; resolves to the file's path. */
export async function saveResult(dir: string, bench: string, nameParts: readonly string[], outcome: BenchOutcome, at = new Date()): Promise<{ file: string; report: BenchReport }> {
  const report = benchReport(bench, outcome);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${[bench, ...nameParts, fileTimestamp(at)].join('-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return { file, report };
}
