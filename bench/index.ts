import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  'sdk-js': {
    description: 'JS/TypeScript SDK: webapp module, script and image sizes, resident memory, snapshot size, cold wake',
    load: async () => (await import('./sdk-js.ts')).default,
  },
};
