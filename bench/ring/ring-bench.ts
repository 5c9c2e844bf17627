/**
 * `wasm-operator bench ring --variant V --operators N --rounds R`: one run of the ring
 * experiment (run-ring.ts), saved under bench/results/ unless --no-save.
 */
import { UsageError } from '../../src/errors.ts';
import type { BenchContext, Benchmark } from '../benchmark.ts';
import { defaultResultsDir, saveResult } from './results.ts';
import { runRing, type RingRunOptions } from './run-ring.ts';
import { ringVariants } from './variants/index.ts';

/** A positive integer flag, or `fallback` when absent. */
export function intFlag(ctx: BenchContext, name: string, fallback: number, min = 1): number {
  const raw = ctx.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be an integer >= ${min}, got ${String(raw)}`);
  return value;
}

/** The run settings every ring benchmark reads the same way; `operators` and `variant` are the caller's. */
export function runSettings(ctx: BenchContext): Omit<RingRunOptions, 'variant' | 'operators'> {
  return {
    rounds: intFlag(ctx, 'rounds', ctx.quick ? 5 : 20),
    warmupRounds: intFlag(ctx, 'warmupRounds', ctx.quick ? 1 : 3, 0),
    settleMs: intFlag(ctx, 'settleMs', ctx.quick ? 1_000 : 5_000, 0),
    idleWindowMs: intFlag(ctx, 'idleWindowMs', ctx.quick ? 1_000 : 5_000, 100),
    memoryLimitBytes: intFlag(ctx, 'memoryLimitGib', 20) * 2 ** 30,
    log: ctx.log,
  };
}

/** Where to save results, or undefined with --no-save. */
export function resultsDir(ctx: BenchContext): string | undefined {
  return ctx.options.save === false ? undefined : String(ctx.options.resultsDir ?? defaultResultsDir());
}

const ring: Benchmark = {
  async run(ctx) {
    const name = ctx.options.variant;
    const variant = typeof name === 'string' ? ringVariants.get(name) : undefined;
    if (variant === undefined) throw new UsageError(`--variant must be one of ${[...ringVariants.keys()].join(', ')}${name === undefined ? '' : `; got ${String(name)}`}`);
    const operators = intFlag(ctx, 'operators', 10);
    const outcome = await runRing({ variant, operators, ...runSettings(ctx) });
    outcome.params.quick = ctx.quick;
    const dir = resultsDir(ctx);
    if (dir !== undefined) ctx.log(`saved ${(await saveResult(dir, 'ring', [variant.name, `n${operators}`], outcome)).file}`);
    return outcome;
  },
};

export default ring;
