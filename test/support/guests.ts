/** Test support: the test guests of test/guests/, built by the project's guest builder (cached in .cache/guests/). */
import { projectPath } from '../../src/project-path.ts';
import { buildGuest } from './guest-builder.ts';
import type { GuestLanguage } from './guest-builder.ts';

// From the project root, not this file: the benchmarks also run from the dist/ bundle.
export const guestCacheDir = projectPath('.cache', 'guests');

const guests = {
  'differential-as': { language: 'assemblyscript', file: 'assembly/differential.ts' },
  'differential-c': { language: 'c', file: 'differential.c' },
  'runaway-as': { language: 'assemblyscript', file: 'assembly/runaway.ts' },
  'cpu-heavy-c': { language: 'c', file: 'cpu-heavy.c' },
  'memory-filler-c': { language: 'c', file: 'memory-filler.c' },
  'wasi-probe-c': { language: 'c', file: 'wasi-probe.c' },
} as const satisfies Record<string, { language: GuestLanguage; file: string }>;

export type TestGuest = keyof typeof guests;

/** The compiled module bytes of a test guest. */
export async function testGuest(name: TestGuest): Promise<Uint8Array> {
  const { language, file } = guests[name];
  const built = await buildGuest({ name, language, files: [projectPath('test', 'guests', file)] }, { cacheDir: guestCacheDir });
  return built.bytes;
}
