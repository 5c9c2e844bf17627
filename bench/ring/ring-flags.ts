/**
 * The flags of `bench ring` and `bench ring-compare`. bench/index.ts lists them before any
 * benchmark module is loaded, so this file imports nothing heavy (a test checks that
 * `variantNames` matches the variants registered in variants/index.ts).
 */
import type { BenchOption } from '../benchmark.ts';

export const variantNames = [
  'process-per-operator',
  'single-process',
  'wasm-warm-as',
  'wasm-warm-js',
  'wasm-suspend-as',
  'wasm-suspend-js',
  'wasm-adaptive-as',
  'wasm-adaptive-js',
] as const;

const runFlags: readonly BenchOption[] = [
  { flags: '--rounds <n>', description: 'measured rounds (default 20, --quick 5)' },
  { flags: '--warmup-rounds <n>', description: 'unmeasured rounds after the first (default 3, --quick 1)' },
  { flags: '--settle-ms <ms>', description: 'quiet time before each idle window (default 5000, --quick 1000)' },
  { flags: '--idle-window-ms <ms>', description: 'how long idle memory is sampled (default 5000, --quick 1000)' },
  { flags: '--memory-limit-gib <gib>', description: 'stop a variant whose memory passes this', defaultValue: '20' },
  { flags: '--results-dir <dir>', description: 'where result files go (default bench/results)' },
  { flags: '--no-save', description: 'do not write result files' },
];

export const ringFlags: readonly BenchOption[] = [
  { flags: '--variant <name>', description: `one of: ${variantNames.join(', ')}` },
  { flags: '--operators <n>', description: 'operators in the ring (default 10)' },
  ...runFlags,
];

export const ringCompareFlags: readonly BenchOption[] = [
  { flags: '--operators <n>', description: 'operators in the ring for every variant (default 100, --quick 10)' },
  { flags: '--marginal-operators <n>', description: 'the second ring size the marginal bytes per operator come from (default twice --operators)' },
  { flags: '--variants <names>', description: `comma-separated subset of: ${variantNames.join(', ')}` },
  ...runFlags,
];
