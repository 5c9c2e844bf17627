/** Test support for the report's tests: a bench report as `--json` prints it, on a fixed test machine. */
import type { BenchReport } from '../benchmark.ts';

export function sampleReport(bench: string, commit: string, metrics: Record<string, number>, loadAverage: number[]): BenchReport {
  return {
    bench, node: 'v26.10.0', commit,
    machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', memoryBytes: 2 ** 30 },
    params: { quick: false, loadAverage },
    metrics,
  };
}
