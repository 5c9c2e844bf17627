/**
 * The AssemblyScript SDK's costs, for the `webapp` example, in two parts:
 * - in the real host against the embedded API server: resident memory while warm, snapshot
 *   size while suspended, and cold-wake latency (restore from the snapshot, as the host logs it);
 * - on the host's ABI session alone: the time of one warm reconcile entered through JSPI, and
 *   linear memory after many of them.
 */
import { readFile } from 'node:fs/promises';
import { buildOperator } from '../src/build/index.ts';
import { AbiHarness, type HarnessHandlers } from '../sdk/test/abi-harness.ts';
import { HostFixture } from '../test/support/host-fixture.ts';
import { percentile } from './benchmark.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { projectPath } from '../src/project-path.ts';

const request = { apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' };

/** A WebApp whose Deployment, Service and status are current: its reconcile writes nothing. */
function settledWorld(): HarnessHandlers {
  const owner = [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }];
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'webapp' };
  const meta = { name: 'web', namespace: 'shop', ownerReferences: owner, labels };
  const objects: Record<string, unknown> = {
    WebApp: {
      apiVersion: 'example.com/v1', kind: 'WebApp',
      metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 1, finalizers: ['example.com/webapp-cleanup'] },
      spec: { image: 'nginx:1.27', replicas: 1, port: 80 },
      status: {
        observedGeneration: 1, readyReplicas: 1,
        conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'ReplicasReady', message: '1/1 replicas ready' }],
      },
    },
    Deployment: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } },
      status: { readyReplicas: 1 },
    },
    Service: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  };
  return {
    cacheGet: (ref) => objects[ref.kind!] ?? null,
    kube: () => ({ status: 500, body: { kind: 'Status', message: 'the benchmark expects no API request' } }),
  };
}

/**
 * The same measurements for any SDK's `webapp` (entry relative to examples/webapp/), with
 * metric names prefixed by `prefix` (`as_wasm_bytes`, `go_wasm_bytes`, ...).
 */
export function webappBenchmark(prefix: string, entryInExample: string): Benchmark {
  const entry = projectPath('examples', 'webapp', entryInExample);
  return { run: (ctx) => run(ctx, prefix, entry) };
}

export interface InHost { residentBytes: number; snapshotBytes: number; wakeMs: number[] }

/**
 * Two copies of the operator in one host: one kept warm (idlePolicy never) for its resident
 * memory, one suspended after every call (idlePolicy immediate), woken `wakes` times by
 * changes to its WebApp, for its snapshot size and the host's restore times.
 */
export async function inHost(wasm: Uint8Array, wakes: number): Promise<InHost> {
  const fx = await HostFixture.start();
  try {
    await fx.apply(await readFile(projectPath('examples', 'webapp', 'crd.yaml'), 'utf8'));
    const settled = async (ns: string) => {
      await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
      const apps = `/apis/example.com/v1/namespaces/${ns}/webapps`;
      await fx.request('POST', apps, { apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'web' }, spec: { replicas: 1 } });
      await fx.waitFor(`/apis/apps/v1/namespaces/${ns}/deployments/web`, (_, status) => status === 200);
      await fx.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web/status`, { status: { replicas: 1, readyReplicas: 1 } }, 'application/merge-patch+json');
      await fx.waitFor<{ status?: { readyReplicas?: number } }>(`${apps}/web`, (app) => app.status?.readyReplicas === 1);
      return apps;
    };
    const report = (name: string) => fx.host!.operators().find((r) => r.name === `default/${name}`)!;
    const watch = (ns: string) => [{ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: ns }];
    await fx.run('warm', wasm, { watches: watch('warm'), idlePolicy: 'never' });
    await fx.run('idle', wasm, { watches: watch('idle'), idlePolicy: 'immediate' });
    await settled('warm');
    const idleApps = await settled('idle');
    const woke = () => fx.logs.filter((l) => l.event === 'operator.woke' && l.fields.operator === 'default/idle' && l.fields.from === 'snapshot');
    for (let i = 0; i < wakes; i++) {
      const before = woke().length;
      await fx.until('the idle operator is suspended', () => report('idle').phase === 'suspended');
      await fx.request('PATCH', `${idleApps}/web`, { metadata: { labels: { round: String(i) } } }, 'application/merge-patch+json');
      await fx.until('it is woken from its snapshot', () => woke().length > before);
    }
    await fx.until('the idle operator is suspended', () => report('idle').phase === 'suspended');
    return { residentBytes: report('warm').residentBytes, snapshotBytes: report('idle').snapshotBytes, wakeMs: woke().map((l) => Number(l.fields.ms)) };
  } finally {
    await fx.stop();
  }
}

async function run(ctx: BenchContext, prefix: string, entry: string): Promise<BenchOutcome> {
  const built = await buildOperator(entry, { cacheDir: null });
  const wakes = ctx.quick ? 10 : 50;
  const host = await inHost(built.wasm, wakes);
  ctx.log(`in the host: resident ${host.residentBytes} bytes warm, snapshot ${host.snapshotBytes} bytes, ${host.wakeMs.length} cold wakes, median ${percentile(host.wakeMs, 50).toFixed(2)} ms`);

  const guest = await AbiHarness.load(built.wasm, settledWorld());
  await guest.init({ abiVersion: 1, operator: { name: 'webapp' }, config: { defaultImage: 'nginx:1.27' } });
  const first = await guest.reconcile(request);
  if (first.kind !== 'done' || guest.requests.length > 0) throw new Error(`the settled webapp reconcile was not a no-op: ${JSON.stringify(first)}`);
  const rounds = ctx.quick ? 2_000 : 20_000;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await guest.reconcile(request);
    samples.push(performance.now() - start);
  }
  ctx.log(`${rounds} warm reconciles, median ${(percentile(samples, 50) * 1000).toFixed(1)} µs, memory ${guest.memoryBytes} bytes`);
  return {
    params: { operator: `examples/webapp/${entry.split('/examples/webapp/')[1]}`, rounds, wakes, warm: 'ABI session with JSPI (sdk/test/abi-harness.ts)', host: 'Host against the embedded API server' },
    metrics: {
      [`${prefix}_wasm_bytes`]: built.sizeBytes,
      [`${prefix}_resident_bytes`]: host.residentBytes,
      [`${prefix}_snapshot_bytes`]: host.snapshotBytes,
      [`${prefix}_cold_wake_ms`]: percentile(host.wakeMs, 50),
      [`${prefix}_cold_wake_p99_ms`]: percentile(host.wakeMs, 99),
      [`${prefix}_resident_after_rounds_bytes`]: guest.memoryBytes,
      [`${prefix}_warm_reconcile_us`]: percentile(samples, 50) * 1000,
      [`${prefix}_warm_reconcile_p99_us`]: percentile(samples, 99) * 1000,
    },
  };
}

const benchmark: Benchmark = webappBenchmark('as', 'assembly/index.ts');
export default benchmark;
