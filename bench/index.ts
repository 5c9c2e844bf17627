import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  'apiserver-schema': {
    description: 'CRD schema support: admissions/s with and without CEL rules, CEL load cost, Table rows/s',
    load: async () => (await import('./apiserver-schema.ts')).default,
  },
};
