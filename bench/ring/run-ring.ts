/**
 * One run of the ring experiment: API server, ring objects, the variant's N operators, and
 * the measurements, in phases:
 *
 *   start    the variant starts; the first round also waits for every operator to be watching
 *   warm-up  a few rounds, not measured (JIT, connection pools, first restores)
 *   idle     settle, then sample PSS over a window (before load)
 *   load     R rounds back to back: round-trip times, PSS, CPU, API requests
 *   idle     settle, then sample PSS again: the steady state between bursts of work
 *
 * Memory is the summed PSS of the variant's process tree (never the API server's, reported
 * apart), sampled every 100 ms when a pass over the processes fits in that time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, type BenchOutcome } from '../benchmark.ts';
import { startApiServerProcess } from './api-server-process.ts';
import { MemorySampler, type PssSample } from './memory-sampler.ts';
import { memAvailableBytes, processTree, readCpuSeconds, readPssBytes } from './process-metrics.ts';
import { RingDriver } from './ring-driver.ts';
import { MemoryLimitError, type RingVariant, type RunningVariant } from './variants/index.ts';

export interface RingRunOptions {
  variant: RingVariant;
  operators: number;
  /** Measured rounds: the same amount of work for every variant, since work grows a Node.js heap that idle memory then shows. */
  rounds: number;
  /** Unmeasured rounds after the first one. */
  warmupRounds: number;
  /** Time left to the variant after work before an idle window starts (idle policies act, GC runs). */
  settleMs: number;
  idleWindowMs: number;
  /** The run stops when the variant's PSS passes this, or the machine's available memory falls under 1 GiB. */
  memoryLimitBytes: number;
  log(message: string): void;
}

const minAvailableBytes = 2 ** 30;

/** How long one round may take: generous, since a wasm-suspend round restores N operators. */
function roundTimeoutMs(operators: number): number {
  return 30_000 + 100 * operators;
}

export async function runRing(options: RingRunOptions): Promise<BenchOutcome> {
  const { variant, operators, log } = options;
  await variant.prepare?.(options.log);
  const startedAt = new Date().toISOString();
  // Other work on the machine skews round trips and CPU: say how busy it was.
  const loadAverageAtStart = os.loadavg()[0]!;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'wasm-operator-ring-'));
  const abort = new AbortController();
  const apiServer = await startApiServerProcess(path.join(workDir, 'kubeconfig.yaml'));
  let driver: RingDriver | undefined;
  let running: RunningVariant | undefined;
  const pids: number[] = [];
  const sampler = new MemorySampler(() => pids);
  const guard = watchMemory(sampler, options.memoryLimitBytes, abort);
  try {
    driver = await RingDriver.setUp(apiServer.url, operators);
    log(`ring of ${operators} operators set up; starting ${variant.name}`);
    sampler.start();
    // Startup counts from the first process, not from a build the variant may do first.
    let startedMs = Number.NaN;
    const track = (pid: number) => {
      if (pids.length === 0) startedMs = performance.now();
      pids.push(pid);
    };
    running = await variant.start({ kubeconfigPath: apiServer.kubeconfigPath, operators, workDir, signal: abort.signal, track, memoryLimitBytes: options.memoryLimitBytes, log });
    const live = running;
    const runId = randomBytes(4).toString('hex');
    const round = async (nonce: string, timeoutMs: number): Promise<number> => {
      try {
        return await abortable(driver!.round(nonce, timeoutMs), abort.signal);
      } catch (err) {
        const problems = live.problems().slice(0, 5);
        throw problems.length === 0 ? err : new Error(`${(err as Error).message}; what ${variant.name}'s processes said:\n${problems.join('\n')}`, { cause: err });
      }
    };

    await round(`${runId}-start`, 60_000 + roundTimeoutMs(operators));
    const startupSeconds = (performance.now() - startedMs) / 1000;
    log(`all operators answered after ${startupSeconds.toFixed(1)} s; ${options.warmupRounds} warm-up rounds`);
    for (let r = 0; r < options.warmupRounds; r++) await round(`${runId}-warmup-${r}`, roundTimeoutMs(operators));

    const idleBefore = await idleWindow(sampler, options, abort.signal);
    const counters0 = await apiServer.counters();
    const cpu0 = await cpuSeconds(pids);
    const apiCpu0 = readCpuSeconds(apiServer.pid) ?? 0;
    log(`${options.rounds} measured rounds`);
    const loadFromMs = performance.now();
    const rtts: number[] = [];
    for (let r = 0; r < options.rounds; r++) rtts.push(await round(`${runId}-${r}`, roundTimeoutMs(operators)));
    const loadToMs = performance.now();
    const cpu1 = await cpuSeconds(pids);
    const apiCpu1 = readCpuSeconds(apiServer.pid) ?? 0;
    const counters1 = await apiServer.counters();

    const idleCpu0 = await cpuSeconds(pids);
    const idleAfter = await idleWindow(sampler, options, abort.signal);
    const idleCpu1 = await cpuSeconds(pids);
    const counters2 = await apiServer.counters();
    const apiServerPss = (await readPssBytes(apiServer.pid)) ?? Number.NaN;
    const processes = (await processTree(pids)).length;
    await sampler.stop();

    // Fast rings end their rounds between two samples: then the first sample after the load stands for it.
    const load = sampler.between(loadFromMs, loadToMs);
    if (load.length === 0) load.push(sampler.between(loadFromMs, Number.POSITIVE_INFINITY)[0]!);
    const loadBytes = load.map((s) => s.totalBytes);
    const metrics: Record<string, number> = {
      pss_idle_bytes: median(idleAfter.samples),
      pss_idle_min_bytes: Math.min(...idleAfter.samples.map((s) => s.totalBytes)),
      pss_idle_max_bytes: Math.max(...idleAfter.samples.map((s) => s.totalBytes)),
      pss_idle_before_load_bytes: median(idleBefore.samples),
      pss_load_bytes: percentile(loadBytes, 50),
      pss_load_peak_bytes: Math.max(...loadBytes),
      rtt_p50_ms: percentile(rtts, 50),
      rtt_p99_ms: percentile(rtts, 99),
      rtt_min_ms: Math.min(...rtts),
      rtt_max_ms: Math.max(...rtts),
      hop_p50_ms: percentile(rtts, 50) / operators,
      cpu_seconds: cpu1 - cpu0,
      cpu_seconds_per_round: (cpu1 - cpu0) / rtts.length,
      cpu_idle_seconds_per_minute: ((idleCpu1 - idleCpu0) / (idleAfter.durationMs + options.settleMs)) * 60_000,
      api_requests: counters1.requests - counters0.requests,
      api_requests_per_round: (counters1.requests - counters0.requests) / rtts.length,
      api_requests_startup: counters0.requests,
      watch_connections: counters2.openWatches,
      startup_seconds: startupSeconds,
      processes,
      apiserver_pss_bytes: apiServerPss,
      apiserver_cpu_seconds: apiCpu1 - apiCpu0,
      pss_samples_idle: idleAfter.samples.length,
      pss_samples_load: load.length,
      pss_sample_interval_ms: sampler.achievedIntervalMs(),
    };
    return {
      params: {
        variant: variant.name,
        description: variant.description,
        startedAt,
        loadAverage1m: { atStart: loadAverageAtStart, atEnd: os.loadavg()[0]! },
        operators,
        rounds: options.rounds,
        warmupRounds: options.warmupRounds,
        settleMs: options.settleMs,
        idleWindowMs: options.idleWindowMs,
        memoryLimitBytes: options.memoryLimitBytes,
        loadSeconds: (loadToMs - loadFromMs) / 1000,
        rttsMs: rtts.map((t) => Math.round(t * 100) / 100),
        requestsByMethod: diffCounts(counters0.requestsByMethod, counters1.requestsByMethod),
        ...running.params,
      },
      metrics,
    };
  } finally {
    guard.stop();
    await sampler.stop();
    await running?.stop();
    driver?.close();
    await apiServer.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Waits `settleMs`, then keeps the samples of the next `idleWindowMs`. */
async function idleWindow(sampler: MemorySampler, options: RingRunOptions, signal: AbortSignal): Promise<{ samples: PssSample[]; durationMs: number }> {
  await abortable(sleep(options.settleMs), signal);
  const fromMs = performance.now();
  await abortable(sleep(options.idleWindowMs), signal);
  // A pass over many processes can outlast the window: wait for at least one sample in it.
  while (sampler.between(fromMs, Number.POSITIVE_INFINITY).length === 0) await abortable(sleep(50), signal);
  return { samples: sampler.between(fromMs, Number.POSITIVE_INFINITY), durationMs: performance.now() - fromMs };
}

/** Aborts the run when the variant's memory passes the limit or the machine runs short. */
function watchMemory(sampler: MemorySampler, limitBytes: number, abort: AbortController): { stop(): void } {
  const timer = setInterval(() => {
    const last = sampler.samples.at(-1);
    const available = memAvailableBytes();
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    if (last !== undefined && last.totalBytes > limitBytes) abort.abort(new MemoryLimitError(`the variant's PSS reached ${gib(last.totalBytes)}, over the limit of ${gib(limitBytes)}; run stopped`, { pssBytes: last.totalBytes, limitBytes }));
    else if (available < minAvailableBytes) abort.abort(new MemoryLimitError(`the machine has only ${gib(available)} available; run stopped before it swaps or kills`, { availableBytes: available }));
  }, 250);
  return { stop: () => clearInterval(timer) };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function cpuSeconds(roots: readonly number[]): Promise<number> {
  let sum = 0;
  for (const pid of await processTree(roots)) sum += readCpuSeconds(pid) ?? 0;
  return sum;
}

function median(samples: readonly PssSample[]): number {
  return percentile(samples.map((s) => s.totalBytes), 50);
}

function diffCounts(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
}
