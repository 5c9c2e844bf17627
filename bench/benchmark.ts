/**
 * The one convention every benchmark follows (see docs/benchmarks.md):
 * `wasm-operator bench <name> [--quick] [--json] [options]`, and with `--json` exactly one
 * JSON object on stdout: {bench, node, commit, machine, params, metrics}.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** A benchmark's own flag, given to commander as is (e.g. `--operators <n>`). */
export interface BenchOption {
  flags: string;
  description: string;
  defaultValue?: string;
}

/** What `run` receives: `quick` asks for fewer repetitions (under 2 minutes), every metric still measured. */
export interface BenchContext {
  quick: boolean;
  options: Readonly<Record<string, string | boolean | undefined>>;
  /** Progress for humans; goes to stderr so stdout stays one JSON object. */
  log(message: string): void;
}

/** Metric names are stable (issues and docs refer to them); add new ones freely, never rename. */
export interface BenchOutcome {
  params: Record<string, unknown>;
  metrics: Record<string, number>;
}

/** A benchmark module's default export. */
export interface Benchmark {
  run(ctx: BenchContext): Promise<BenchOutcome>;
}

/** How bench/index.ts lists a benchmark: its flags are known before its module is loaded. */
export interface BenchEntry {
  description: string;
  options?: readonly BenchOption[];
  load(): Promise<Benchmark>;
}

export interface BenchReport extends BenchOutcome {
  bench: string;
  node: string;
  commit: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number };
}

/** Wraps a finished run with what makes it comparable later: Node version, commit, machine. */
export function benchReport(name: string, outcome: BenchOutcome): BenchReport {
  const cpus = os.cpus();
  return {
    bench: name,
    node: process.version,
    commit: currentCommit(),
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
    },
    params: outcome.params,
    metrics: outcome.metrics,
  };
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The p-th percentile (0..100) of a sample, by nearest rank; NaN for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
