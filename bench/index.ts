import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {};
