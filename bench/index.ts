import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  'sdk-as': {
    description: 'AssemblyScript SDK: webapp module size, resident memory, warm reconcile time',
    load: async () => (await import('./sdk-as.ts')).default,
  },
};
