/**
 * `bench sdk`: what the same operator (examples/webapp) costs in each SDK, measured the same
 * way for every one. Metrics, for each prefix p in as, js, c, go:
 * - `p_wasm_bytes`: the built module, manifest included;
 * - in a real host against the embedded API server (bench/sdk/webapp-in-host.ts):
 *   `p_resident_bytes` (linear memory of a warm copy that settled its WebApp),
 *   `p_snapshot_bytes` (a suspended copy's snapshot files), `p_host_wake_ms` and
 *   `p_host_wake_p99_ms` (the host's restores from disk, as it logs them);
 * - in the host's engine and ABI session with snapshot files on disk
 *   (bench/sdk/webapp-in-session.ts): `p_cold_wake_ms` and `p_cold_wake_p99_ms` (restore from
 *   disk, then enter `wo_reconcile` until it returns), `p_warm_reconcile_us` and
 *   `p_warm_reconcile_p99_us`, `p_resident_after_rounds_bytes`;
 * - for js only, the shared engine's figures (bench/sdk/js-engine-costs.ts).
 */
import os from 'node:os';
import { buildOperator, type BuildOptions } from '../src/build/index.ts';
import { projectPath } from '../src/project-path.ts';
import { percentile } from './benchmark.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { jsEngineCosts } from './sdk/js-engine-costs.ts';
import { webappInHost } from './sdk/webapp-in-host.ts';
import { webappInSession } from './sdk/webapp-in-session.ts';

const toolsCacheDir = projectPath('.cache', 'wasm-operator');

interface Sdk {
  /** The metric prefix. */
  prefix: string;
  /** The webapp's entry, relative to examples/webapp/. */
  entry: string;
  build?: BuildOptions;
  /** The operator's memory limit in the host (the Go runtime needs more than the default). */
  memoryLimit?: string;
}

export const sdks: readonly Sdk[] = [
  { prefix: 'as', entry: 'assembly/index.ts' },
  { prefix: 'js', entry: 'js/operator.ts', build: { lang: 'js', toolsCacheDir } },
  { prefix: 'c', entry: 'c/webapp.c' },
  { prefix: 'go', entry: 'go/main.go', memoryLimit: '64Mi' },
];

/** The SDKs named by `--sdks` (comma-separated prefixes), all by default. */
export function selectSdks(list: string | undefined): readonly Sdk[] {
  if (list === undefined || list === '') return sdks;
  const names = list.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !sdks.some((s) => s.prefix === n));
  if (unknown.length > 0) throw new Error(`--sdks: unknown SDK ${unknown.join(', ')} (known: ${sdks.map((s) => s.prefix).join(', ')})`);
  return sdks.filter((s) => names.includes(s.prefix));
}

async function measure(ctx: BenchContext, sdk: Sdk): Promise<Record<string, number>> {
  const p = sdk.prefix;
  const entry = projectPath('examples', 'webapp', sdk.entry);
  const built = await buildOperator(entry, sdk.build);
  const host = await webappInHost(built.wasm, ctx.quick ? 10 : 50, sdk.memoryLimit);
  const session = await webappInSession(built.wasm, ctx.quick ? { cold: 50, warm: 2_000 } : { cold: 500, warm: 20_000 });
  const metrics: Record<string, number> = {
    [`${p}_wasm_bytes`]: built.sizeBytes,
    [`${p}_resident_bytes`]: host.residentBytes,
    [`${p}_snapshot_bytes`]: host.snapshotBytes,
    [`${p}_cold_wake_ms`]: percentile(session.coldWakeMs, 50),
    [`${p}_cold_wake_p99_ms`]: percentile(session.coldWakeMs, 99),
    [`${p}_host_wake_ms`]: percentile(host.wakeMs, 50),
    [`${p}_host_wake_p99_ms`]: percentile(host.wakeMs, 99),
    [`${p}_warm_reconcile_us`]: percentile(session.warmReconcileMs, 50) * 1000,
    [`${p}_warm_reconcile_p99_us`]: percentile(session.warmReconcileMs, 99) * 1000,
    [`${p}_resident_after_rounds_bytes`]: session.residentAfterRoundsBytes,
  };
  if (p === 'js') Object.assign(metrics, await jsEngineCosts(entry, toolsCacheDir, 20));
  ctx.log(`${p}: ${built.sizeBytes} B wasm, resident ${host.residentBytes} B, snapshot ${host.snapshotBytes} B, ` +
    `cold wake ${metrics[`${p}_cold_wake_ms`]!.toFixed(2)} ms (p99 ${metrics[`${p}_cold_wake_p99_ms`]!.toFixed(2)}), ` +
    `warm reconcile ${metrics[`${p}_warm_reconcile_us`]!.toFixed(1)} µs`);
  return metrics;
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const chosen = selectSdks(ctx.options.sdks as string | undefined);
  const metrics: Record<string, number> = {};
  for (const sdk of chosen) Object.assign(metrics, await measure(ctx, sdk));
  return {
    params: {
      operator: 'examples/webapp',
      quick: ctx.quick,
      sdks: Object.fromEntries(chosen.map((s) => [s.prefix, `examples/webapp/${s.entry}`])),
      hostWakes: ctx.quick ? 10 : 50,
      coldWakes: ctx.quick ? 50 : 500,
      warmReconciles: ctx.quick ? 2_000 : 20_000,
      coldWake: 'restore from snapshot files on disk into a fresh instance, then wo_reconcile of a settled WebApp (host engine and ABI session)',
      loadAverage: os.loadavg(), // at the end: the machine is shared, and load inflates every wall time
    },
    metrics,
  };
}

const benchmark: Benchmark = { run };
export default benchmark;
