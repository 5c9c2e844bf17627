/**
 * `wasm-operator bench wake`: what waking costs and what sleeping costs. Every figure comes
 * from `wasm-operator run` in its own process, running from the dist/ bundle as users run
 * it, against the embedded API server in another process.
 *
 *   latency     warm and suspended wake, write response -> reconcile entry (wake-latency.ts)
 *   throughput  reconciles/s through one host with 100 warm operators (reconcile-throughput.ts)
 *   memory      the host's idle RSS with 1, 100 and 1,000 suspended webapp operators, each
 *               watching its own namespace, and with 100 that each reconciled a WebApp
 *               (idle-memory.ts); the marginal cost of one more suspended operator comes
 *               from the 100 and 1,000 runs
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildOperator } from '../../src/build/index.ts';
import { projectPath } from '../../src/project-path.ts';
import { percentile, type Benchmark, type BenchContext } from '../benchmark.ts';
import { startApiServerProcess } from '../api-server-process.ts';
import { applyWebAppCrd, benchClient, createNamespaces, createWebApps } from './fleet.ts';
import { measureIdleMemory, type IdleMemory } from './idle-memory.ts';
import { measureThroughput } from './reconcile-throughput.ts';
import { measureWakeLatency } from './wake-latency.ts';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function buildTo(dir: string, entry: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.wasm`);
  await writeFile(file, (await buildOperator(entry)).wasm);
  return file;
}

const benchmark: Benchmark = {
  async run(ctx: BenchContext) {
    const quick = ctx.quick;
    const params = {
      latencySamples: quick ? 60 : 300,
      suspendedBallastBytes: 1024 * 1024,
      throughputOperators: 100,
      objectsPerOperator: quick ? 10 : 30,
      memoryOperators: [1, 100, 1000],
      memoryOperator: 'examples/webapp (AssemblyScript), idle policy immediate, one namespace each',
      settleMs: 5_000,
      memorySamples: quick ? 3 : 10,
      apiServer: 'wasm-operator apiserver --in-memory, its own process',
      host: 'wasm-operator run from dist/, its own process, status server on and scraped once',
    };
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'wasm-operator-wake-'));
    ctx.log('building the webapp example and the wake guest');
    const webapp = await buildTo(workDir, projectPath('examples', 'webapp', 'assembly', 'index.ts'), 'webapp');
    const guest = await buildTo(workDir, projectPath('bench', 'wake', 'guest', 'assembly', 'index.ts'), 'wake-guest');
    const api = await startApiServerProcess(path.join(workDir, 'kubeconfig.yaml'));
    const kube = await benchClient(api.kubeconfigPath);
    try {
      const maxOperators = Math.max(...params.memoryOperators);
      await applyWebAppCrd(kube);
      await createNamespaces(kube, 0, maxOperators);

      const idle = new Map<number, IdleMemory>();
      const idleRun = async (operators: number, reconciled: boolean) => {
        const measured = await measureIdleMemory({
          operators, reconciled, module: webapp, kubeconfigPath: api.kubeconfigPath, workDir,
          settleMs: params.settleMs, samples: params.memorySamples, log: ctx.log,
        });
        ctx.log(`idle memory, ${operators} operators${reconciled ? ' (each reconciled a WebApp)' : ''}: RSS ${(measured.rssBytes / 2 ** 20).toFixed(1)} MiB (anon ${(measured.anonBytes / 2 ** 20).toFixed(1)}, file ${(measured.fileBytes / 2 ** 20).toFixed(1)}), PSS ${(measured.pssBytes / 2 ** 20).toFixed(1)} MiB; started in ${Math.round(measured.startMs)} ms`);
        return measured;
      };
      for (const n of params.memoryOperators) idle.set(n, await idleRun(n, false));
      await createWebApps(kube, 0, 100);
      const reconciled = await idleRun(100, true);

      ctx.log(`wake latency: ${params.latencySamples} samples each, warm and suspended (${params.suspendedBallastBytes} bytes of guest memory)`);
      const latency = await measureWakeLatency({
        kube, kubeconfigPath: api.kubeconfigPath, module: guest, workDir, samples: params.latencySamples, ballastBytes: params.suspendedBallastBytes, log: ctx.log,
      });
      ctx.log(`throughput: ${params.throughputOperators} warm operators, ${params.objectsPerOperator} objects each`);
      const throughput = await measureThroughput({
        kube, kubeconfigPath: api.kubeconfigPath, module: guest, workDir, operators: params.throughputOperators, objectsPerOperator: params.objectsPerOperator, log: ctx.log,
      });

      const n100 = idle.get(100)!;
      const n1000 = idle.get(1000)!;
      return {
        params: { ...params, loadAverage: os.loadavg() },
        metrics: {
          warm_p50_ms: round(percentile(latency.warmMs, 50)),
          warm_p99_ms: round(percentile(latency.warmMs, 99)),
          suspended_p50_ms: round(percentile(latency.suspendedMs, 50)),
          suspended_p99_ms: round(percentile(latency.suspendedMs, 99)),
          warm_from_request_p50_ms: round(percentile(latency.warmFromRequestMs, 50)),
          suspended_from_request_p50_ms: round(percentile(latency.suspendedFromRequestMs, 50)),
          reconciles_per_s_100_operators: Math.round(throughput.reconcilesPerS),
          writes_per_s_100_operators: Math.round(throughput.writesPerS),
          host_idle_rss_bytes: n100.rssBytes,
          host_idle_pss_bytes: n100.pssBytes,
          host_idle_anon_bytes: n100.anonBytes,
          host_idle_rss_bytes_1: idle.get(1)!.rssBytes,
          host_idle_rss_bytes_1000: n1000.rssBytes,
          host_idle_rss_bytes_100_reconciled: reconciled.rssBytes,
          marginal_suspended_bytes: Math.round((n1000.rssBytes - n100.rssBytes) / 900),
          host_start_ms_1000: Math.round(n1000.startMs),
        },
      };
    } finally {
      kube.close();
      await api.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
