import type { BenchEntry } from './benchmark.ts';
import { ringCompareFlags, ringFlags } from './ring/ring-flags.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  cores: {
    description: 'Throughput of the runtime\'s pure cores: work queue, event router, permission check',
    load: async () => (await import('./cores.ts')).default,
  },
  apiserver: {
    description: 'Embedded API server over HTTP: creates/s (memory, durable), updates/s, list of 10k, watch fan-out to 100 watchers',
    options: [{ flags: '--concurrency <n>', description: 'requests in flight', defaultValue: '16' }],
    load: async () => (await import('./apiserver.ts')).default,
  },
  ring: {
    description: 'The ring experiment (IEEE CloudNet 2022): N operators pass a nonce around; memory (PSS), round trips, CPU, API requests',
    options: ringFlags,
    load: async () => (await import('./ring/ring-bench.ts')).default,
  },
  'ring-compare': {
    description: 'The ring experiment for every variant side by side at N = 100 (10 with --quick), with the issue\'s ratios',
    options: ringCompareFlags,
    load: async () => (await import('./ring/ring-compare.ts')).default,
  },
};
