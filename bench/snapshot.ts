/**
 * `wasm-operator bench snapshot`: suspend and restore times and snapshot sizes for guests
 * with 1, 16 and 64 MiB of live memory (on the real disk, fsync included), the snapshot of a
 * mostly empty 16 MiB memory, the host's RSS before, during and after suspending 100
 * instances, and the cost of the fuel checks on a CPU-heavy guest.
 */
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { autoCompressMaxBytes, FsSnapshotStore, WasmEngine } from '../src/wasm/index.ts';
import type { SnapshotCompression, WasmInstance, WasmModule } from '../src/wasm/index.ts';
import { projectPath } from '../src/project-path.ts';
import { testGuest } from '../test/support/guests.ts';
import type { BenchContext, BenchOutcome, Benchmark } from './benchmark.ts';
import { percentile } from './benchmark.ts';

const mib = 1024 * 1024;
const run = promisify(execFile);
const mibOf = (bytes: number | undefined) => `${((bytes ?? 0) / mib).toFixed(0)} MiB`;

/**
 * Median wall time of `op` in milliseconds, and median CPU time of this thread during it
 * (steadier than wall time on a busy machine, but blind to the thread pool and to fsync waits);
 * `setup` runs untimed before each run.
 */
async function median(reps: number, setup: () => Promise<void>, op: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    await setup();
    const before = process.threadCpuUsage();
    const started = performance.now();
    await op();
    wall.push(performance.now() - started);
    const used = process.threadCpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: percentile(wall, 50), cpuMs: percentile(cpu, 50) };
}

interface Fixture {
  engine: WasmEngine;
  module: WasmModule;
  store: FsSnapshotStore;
}

/** An instance after `init` and its base snapshot, as the host runs it, with `liveKiB` of heap filled. */
async function filledInstance(f: Fixture, operator: string, liveKiB: number): Promise<WasmInstance> {
  const instance = await f.engine.instantiate(f.module, { operator });
  await f.engine.snapshot(instance, f.store, 'base');
  await instance.call('fill', [liveKiB]);
  return instance;
}

/** Metric names carry `suffix`: none for the engine's default compression, `_zstd` for zstd forced. */
async function suspendRestore(f: Fixture, liveMiB: number, reps: number, suffix = ''): Promise<Record<string, number>> {
  const operator = `live-${liveMiB}mib${suffix}`;
  let instance: WasmInstance | undefined = await filledInstance(f, operator, liveMiB * 1024);
  const suspend = await median(reps, async () => {
    instance ??= await f.engine.restore(f.module, f.store, { operator });
    await instance!.call('touch', [1]);
    await f.engine.memoryReclaimed();
  }, async () => {
    await f.engine.suspend(instance!, f.store);
    instance = undefined;
  });
  const snapshotBytes = await f.store.sizeBytes(operator);
  const restore = await median(reps, async () => {
    instance?.drop();
    await f.engine.memoryReclaimed(); // the previous copy's memory is freed before the clock starts
  }, async () => {
    instance = await f.engine.restore(f.module, f.store, { operator });
  });
  // The same, but right after another restore (untimed): a busy host, where the collection
  // and the quiet before it are not on this restore's path.
  const restoreWarm = await median(reps, async () => {
    instance?.drop();
    await f.engine.memoryReclaimed();
    (await f.engine.restore(f.module, f.store, { operator }))?.drop();
  }, async () => {
    instance = await f.engine.restore(f.module, f.store, { operator });
  });
  instance?.drop();
  return {
    [`suspend_ms_${liveMiB}mib${suffix}`]: suspend.wallMs, [`suspend_cpu_ms_${liveMiB}mib${suffix}`]: suspend.cpuMs,
    [`restore_ms_${liveMiB}mib${suffix}`]: restore.wallMs, [`restore_cpu_ms_${liveMiB}mib${suffix}`]: restore.cpuMs,
    [`restore_after_restore_ms_${liveMiB}mib${suffix}`]: restoreWarm.wallMs,
    [`snapshot_bytes_${liveMiB}mib${suffix}`]: snapshotBytes,
  };
}

async function mostlyEmpty(f: Fixture): Promise<Record<string, number>> {
  const instance = await f.engine.instantiate(f.module, { operator: 'mostly-empty' });
  await instance.call('reserve', [16 * 1024 - 512]);
  await instance.call('fill', [64]);
  const full = await f.engine.snapshot(instance, f.store, 'base');
  instance.drop();
  return { snapshot_bytes_16mib_mostly_empty: full.sizeBytes, memory_bytes_16mib_mostly_empty: instance.residentBytes || 16 * mib };
}

/**
 * RSS before, during and after suspending `count` instances, measured in a fresh process
 * (bench/snapshot-rss.ts). `env` lets a second run show the effect of a malloc setting.
 */
async function rssAfterSuspend(count: number, perInstanceMiB: number, dir: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, number>> {
  const script = projectPath('bench', 'snapshot-rss.ts');
  const { stdout } = await run(process.execPath, [script, String(count), String(perInstanceMiB), dir], { env: { ...process.env, ...env } });
  return JSON.parse(stdout) as Record<string, number>;
}

/**
 * What first touching fresh memory costs on this machine: restoring N MiB of live data must
 * fault in N MiB of new pages, whatever the format. On virtual machines this floor is high.
 */
function firstTouchMs(sizeMiB: number): number {
  const memory = new WebAssembly.Memory({ initial: sizeMiB * 16 });
  const view = new Uint8Array(memory.buffer);
  const started = performance.now();
  for (let offset = 0; offset < view.length; offset += 4096) view[offset] = 1;
  return performance.now() - started;
}

/** CPU time of this thread running `fn`, in milliseconds (steadier than wall time on a shared machine). */
function cpuMs(fn: () => unknown): number {
  const before = process.threadCpuUsage();
  fn();
  const used = process.threadCpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * CPU time of the same CPU-heavy work (tight loops, recursion) in the rewritten module, with
 * fuel checks and a deadline, over the original module: the cost of the fuel checks.
 * The rewritten export is called directly (what `call` runs, minus the promise around it).
 */
async function fuelOverhead(reps: number, rounds: number): Promise<Record<string, number>> {
  const bytes = await testGuest('cpu-heavy-c');
  const original = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, (...args: number[]) => number>;
  original._initialize!();
  const engine = new WasmEngine();
  const module = await engine.load(bytes, { source: 'cpu-heavy.wasm', maxMemoryBytes: 16 * mib });
  const instance = await engine.instantiate(module, { operator: 'cpu-heavy' });
  const expected = original.run!(rounds);
  if ((await instance.call('run', [rounds], { timeoutMs: 600_000 })) !== expected) throw new Error('the rewritten module computed another result');
  const plain: number[] = [];
  const fueled: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < reps; i++) {
    // Paired runs, one after the other: the ratio of each pair cancels out drifts in machine speed.
    const plainMs = cpuMs(() => original.run!(rounds));
    const before = process.threadCpuUsage();
    await instance.call('run', [rounds], { timeoutMs: 600_000 });
    const used = process.threadCpuUsage(before);
    const fueledMs = (used.user + used.system) / 1000;
    plain.push(plainMs);
    fueled.push(fueledMs);
    ratios.push(fueledMs / plainMs);
  }
  return {
    fuel_overhead_ratio: percentile(ratios, 50),
    cpu_heavy_plain_cpu_ms: percentile(plain, 50),
    cpu_heavy_fueled_cpu_ms: percentile(fueled, 50),
  };
}

const benchmark: Benchmark = {
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const reps = ctx.quick ? { small: 10, medium: 5, large: 3, cpu: 15 } : { small: 40, medium: 15, large: 8, cpu: 41 };
    const instances = Number(ctx.options.instances ?? 100);
    const perInstanceMiB = Number(ctx.options.instanceMib ?? 4);
    const dir = await fsp.mkdtemp(path.join(typeof ctx.options.dir === 'string' ? ctx.options.dir : os.tmpdir(), 'bench-snapshot-'));
    try {
      const fixtureWith = async (compression: SnapshotCompression, name: string): Promise<Fixture> => {
        const engine = new WasmEngine({ compression });
        const module = await engine.load(await testGuest('memory-filler-c'), { source: 'memory-filler.wasm', maxMemoryBytes: 256 * mib, requiredExports: [{ name: 'fill' }, { name: 'touch' }] });
        return { engine, module, store: await FsSnapshotStore.open(path.join(dir, name)) };
      };
      const fixture = await fixtureWith('auto', 'auto');
      const zstd = await fixtureWith('zstd', 'zstd');
      const metrics: Record<string, number> = {};
      ctx.log(`RSS with ${instances} instances of ${perInstanceMiB} MiB, suspended`);
      const rss = await rssAfterSuspend(instances, perInstanceMiB, path.join(dir, 'rss'));
      Object.assign(metrics, rss);
      ctx.log(`RSS empty ${mibOf(rss.rss_empty_bytes)}, live ${mibOf(rss.rss_during_bytes)}, suspended ${mibOf(rss.rss_after_suspend_bytes)}; again with a fixed malloc mmap threshold`);
      // glibc raises its mmap threshold after large buffers are freed, and then keeps freed
      // memory resident; a fixed threshold (a deployment setting) shows how much that costs.
      const tuned = await rssAfterSuspend(instances, perInstanceMiB, path.join(dir, 'rss-tuned'), { MALLOC_MMAP_THRESHOLD_: '131072' });
      metrics.rss_after_suspend_ratio_fixed_mmap_threshold = tuned.rss_after_suspend_ratio!;
      for (const [liveMiB, count] of [[1, reps.small], [16, reps.medium], [64, reps.large]] as const) {
        ctx.log(`suspend/restore with ${liveMiB} MiB live, ${count} times, as the engine stores it by default and with zstd`);
        Object.assign(metrics, await suspendRestore(fixture, liveMiB, count));
        Object.assign(metrics, await suspendRestore(zstd, liveMiB, Math.ceil(count / 2), '_zstd'));
      }
      Object.assign(metrics, await mostlyEmpty(fixture));
      metrics.memory_first_touch_ms_64mib = percentile(Array.from({ length: 3 }, () => firstTouchMs(64)), 50);
      ctx.log('fuel overhead on a CPU-heavy guest');
      // Thread CPU time advances in scheduler ticks (4 ms on these machines): each run is a few
      // hundred ms, so a tick is ~2% of it rather than the 17% it was at 100 rounds.
      Object.assign(metrics, await fuelOverhead(reps.cpu, ctx.quick ? 400 : 1000));
      return {
        params: { instances, instanceMib: perInstanceMiB, reps, snapshotDir: dir, fsync: true, compression: `auto (zstd level 1 up to ${autoCompressMaxBytes / 1024} KiB of data, raw above); _zstd metrics: zstd level 1`, chunkBytes: 4096 },
        metrics,
      };
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
