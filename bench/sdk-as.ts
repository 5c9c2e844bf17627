/**
 * The AssemblyScript SDK's costs, for the `webapp` example: module size, resident memory
 * (linear memory after init and a settled reconcile, and after many reconciles), and the time
 * of one warm reconcile entered through JSPI on the host's ABI session.
 *
 * Snapshot size and cold-wake latency need the host's snapshot codec (src/wasm), which
 * restores non-exported globals too; they are added when it is on main.
 */
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../src/build/index.ts';
import { AbiHarness, type HarnessHandlers } from '../sdk/test/abi-harness.ts';
import { percentile } from './benchmark.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';

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
  const entry = fileURLToPath(new URL(`../examples/webapp/${entryInExample}`, import.meta.url));
  return { run: (ctx) => run(ctx, prefix, entry) };
}

async function run(ctx: BenchContext, prefix: string, entry: string): Promise<BenchOutcome> {
  const built = await buildOperator(entry, { cacheDir: null });
  const guest = await AbiHarness.load(built.wasm, settledWorld());
  await guest.init({ abiVersion: 1, operator: { name: 'webapp' }, config: { defaultImage: 'nginx:1.27' } });
  const first = await guest.reconcile(request);
  if (first.kind !== 'done' || guest.requests.length > 0) throw new Error(`the settled webapp reconcile was not a no-op: ${JSON.stringify(first)}`);
  const residentBytes = guest.memoryBytes;

  const rounds = ctx.quick ? 2_000 : 20_000;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await guest.reconcile(request);
    samples.push(performance.now() - start);
  }
  ctx.log(`${rounds} warm reconciles, median ${(percentile(samples, 50) * 1000).toFixed(1)} µs, memory ${guest.memoryBytes} bytes`);
  return {
    params: { operator: `examples/webapp/${entry.split('/examples/webapp/')[1]}`, rounds, host: 'ABI session with JSPI (sdk/test/abi-harness.ts)' },
    metrics: {
      [`${prefix}_wasm_bytes`]: built.sizeBytes,
      [`${prefix}_resident_bytes`]: residentBytes,
      [`${prefix}_resident_after_rounds_bytes`]: guest.memoryBytes,
      [`${prefix}_warm_reconcile_us`]: percentile(samples, 50) * 1000,
      [`${prefix}_warm_reconcile_p99_us`]: percentile(samples, 99) * 1000,
    },
  };
}

const benchmark: Benchmark = webappBenchmark('as', 'assembly/index.ts');
export default benchmark;
