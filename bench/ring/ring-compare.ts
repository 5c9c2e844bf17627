/**
 * `wasm-operator bench ring-compare`: every variant of the ring at the same N, one after the
 * other against a fresh API server each, plus a second N for the marginal cost of one more
 * operator, and the ratios issue 8 names. A variant that cannot run here (no host yet, over
 * the memory limit) is listed under params.skipped and the ratios that need it are left out.
 */
import { UsageError } from '../../src/errors.ts';
import type { BenchOutcome, Benchmark } from '../benchmark.ts';
import { intFlag, resultsDir, runSettings } from './ring-bench.ts';
import { saveResult } from './results.ts';
import { runRing } from './run-ring.ts';
import { MemoryLimitError, ringVariants, VariantUnavailableError } from './variants/index.ts';

/** The variants whose marginal bytes per operator come from a second, larger ring. */
const marginalVariants = ['wasm-suspend-as', 'wasm-warm-as', 'single-process'];

type Runs = Map<string, BenchOutcome>;
const key = (variant: string, operators: number) => `${variant}@${operators}`;

/** The issue's ratios and marginals from the runs that happened; a figure whose runs are missing is left out. */
export function compareMetrics(runs: Runs, operators: number, marginalOperators: number): Record<string, number> {
  const metric = (variant: string, name: string, n = operators) => runs.get(key(variant, n))?.metrics[name];
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
  const marginal = (variant: string) => {
    const small = metric(variant, 'pss_idle_bytes');
    const large = metric(variant, 'pss_idle_bytes', marginalOperators);
    return small === undefined || large === undefined ? undefined : (large - small) / (marginalOperators - operators);
  };
  const idle = (variant: string) => metric(variant, 'pss_idle_bytes');
  const figures: Record<string, number | undefined> = {
    ratio_suspend_vs_process_per_operator: ratio(idle('wasm-suspend-as'), idle('process-per-operator')),
    ratio_suspend_vs_single_process: ratio(idle('wasm-suspend-as'), idle('single-process')),
    ratio_warm_as_vs_process_per_operator: ratio(idle('wasm-warm-as'), idle('process-per-operator')),
    ratio_single_process_vs_process_per_operator: ratio(idle('single-process'), idle('process-per-operator')),
    marginal_suspended_bytes: marginal('wasm-suspend-as'),
    marginal_warm_as_bytes: marginal('wasm-warm-as'),
    marginal_single_process_bytes: marginal('single-process'),
    ratio_adaptive_vs_warm_rtt_p50: ratio(metric('wasm-adaptive-as', 'rtt_p50_ms'), metric('wasm-warm-as', 'rtt_p50_ms')),
    ratio_suspend_vs_warm_rtt_p50: ratio(metric('wasm-suspend-as', 'rtt_p50_ms'), metric('wasm-warm-as', 'rtt_p50_ms')),
  };
  for (const [name, run] of runs) {
    const [variant, n] = name.split('@') as [string, string];
    if (Number(n) !== operators) continue;
    const prefix = variant.replace(/-/g, '_');
    for (const m of ['pss_idle_bytes', 'pss_load_bytes', 'rtt_p50_ms', 'rtt_p99_ms', 'cpu_seconds', 'api_requests', 'watch_connections']) {
      figures[`${prefix}_${m}`] = run.metrics[m];
    }
  }
  return Object.fromEntries(Object.entries(figures).filter((e): e is [string, number] => e[1] !== undefined && Number.isFinite(e[1])));
}

const ringCompare: Benchmark = {
  async run(ctx) {
    const operators = intFlag(ctx, 'operators', ctx.quick ? 10 : 100);
    const marginalOperators = intFlag(ctx, 'marginalOperators', operators * 2);
    if (marginalOperators <= operators) throw new UsageError(`--marginal-operators must be more than --operators (${operators})`);
    const requested = typeof ctx.options.variants === 'string' ? ctx.options.variants.split(',').map((s) => s.trim()) : [...ringVariants.keys()];
    const unknown = requested.filter((name) => !ringVariants.has(name));
    if (unknown.length > 0) throw new UsageError(`unknown variants ${unknown.join(', ')}; known: ${[...ringVariants.keys()].join(', ')}`);
    const settings = runSettings(ctx);
    const dir = resultsDir(ctx);
    const runs: Runs = new Map();
    const skipped: Record<string, string> = {};
    const plan = [
      ...requested.map((variant) => ({ variant, n: operators })),
      ...requested.filter((v) => marginalVariants.includes(v)).map((variant) => ({ variant, n: marginalOperators })),
    ];
    for (const { variant, n } of plan) {
      if (skipped[variant] !== undefined) continue;
      ctx.log(`${variant} at N=${n}`);
      try {
        const outcome = await runRing({ variant: ringVariants.get(variant)!, operators: n, ...settings });
        outcome.params.quick = ctx.quick;
        runs.set(key(variant, n), outcome);
        if (dir !== undefined) ctx.log(`saved ${(await saveResult(dir, 'ring', [variant, `n${n}`], outcome)).file}`);
      } catch (err) {
        if (!(err instanceof VariantUnavailableError || err instanceof MemoryLimitError)) throw err;
        skipped[variant] = err.message;
        ctx.log(`skipped: ${err.message}`);
      }
    }
    if (runs.size === 0) throw new Error(`no variant could run: ${Object.values(skipped).join('; ')}`);
    const outcome: BenchOutcome = {
      params: { operators, marginalOperators, quick: ctx.quick, variants: requested, skipped, rounds: settings.rounds, warmupRounds: settings.warmupRounds, settleMs: settings.settleMs, idleWindowMs: settings.idleWindowMs },
      metrics: compareMetrics(runs, operators, marginalOperators),
    };
    if (dir !== undefined) ctx.log(`saved ${(await saveResult(dir, 'ring-compare', [`n${operators}`], outcome)).file}`);
    return outcome;
  },
};

export default ringCompare;
