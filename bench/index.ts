import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  cores: {
    description: 'Throughput of the runtime\'s pure cores: work queue, event router, permission check',
    load: async () => (await import('./cores.ts')).default,
  },
  'sdk-as': {
    description: 'AssemblyScript SDK: webapp module size, resident memory, warm reconcile time',
    load: async () => (await import('./sdk-as.ts')).default,
  },
};
