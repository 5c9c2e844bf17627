/**
 * The JS/TypeScript SDK's costs, for the `webapp` example: module, script and image sizes at
 * build time, then resident memory, snapshot size and cold-wake latency when run through the
 * host's ABI session with JSPI. Until the host's engine (src/wasm) restores JS operators, the
 * snapshot is this SDK's image encoding (zero pages skipped, zstd level 1) and the cold wake is:
 * instantiate the already compiled engine, write the snapshot into its memory, enter
 * `wo_reconcile` for a WebApp that needs no API write.
 */
import { buildOperator } from '../src/build/index.ts';
import { buildJsOperator } from '../src/build/toolchains/js.ts';
import { webAssembly } from '../src/build/webassembly.ts';
import { AbiHarness, cacheOf } from '../sdk/test/abi-harness.ts';
import type { HarnessHandlers } from '../sdk/test/abi-harness.ts';
import { percentile } from './benchmark.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { projectPath } from '../src/project-path.ts';

const toolsCacheDir = projectPath('.cache', 'wasm-operator');
const entry = projectPath('examples', 'webapp', 'js', 'operator.ts');

/** A WebApp whose Deployment and Service exist and whose status is current: reconcile writes nothing. */
function settledWorld(): HarnessHandlers {
  const owner = [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }];
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'webapp' };
  const meta = (extra: Record<string, unknown> = {}) => ({ name: 'web', namespace: 'shop', ownerReferences: owner, labels, ...extra });
  return {
    ...cacheOf([
      {
        apiVersion: 'example.com/v1', kind: 'WebApp',
        metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 1, finalizers: ['example.com/webapp-cleanup'] },
        spec: { image: 'nginx:1.27', replicas: 1, port: 80 },
        status: {
          observedGeneration: 1, readyReplicas: 1,
          conditions: [{ type: 'Ready', status: 'True', reason: 'ReplicasReady', message: '1/1 replicas ready', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:00:00Z' }],
        },
      },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(),
        spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } },
        status: { readyReplicas: 1 },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: meta(), spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    ]),
    kube: () => ({ status: 500, body: { kind: 'Status', message: 'the benchmark expects no API request' } }),
  };
}

const request = { apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' };

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const details = await buildJsOperator(entry, { cacheDir: toolsCacheDir });
  const built = await buildOperator(entry, { lang: 'js', cacheDir: null, toolsCacheDir });
  const module = await webAssembly.compile(built.wasm); // compiled once, shared, as in the host

  const world = settledWorld();
  const warm = await AbiHarness.load(module, world);
  await warm.init({ abiVersion: 1, operator: { name: 'webapp' }, config: { defaultImage: 'nginx:1.27' } });
  const first = await warm.reconcile(request);
  if (first.kind !== 'done' || warm.requests.length > 0) throw new Error(`the settled webapp reconcile was not a no-op: ${JSON.stringify(first)}`);
  const residentBytes = warm.memoryBytes;
  const snapshot = warm.memoryImage();

  const rounds = ctx.quick ? 50 : 500;
  const wakes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const guest = await AbiHarness.load(module, world, snapshot);
    await guest.reconcile(request);
    wakes.push(performance.now() - start);
  }
  ctx.log(`${rounds} cold wakes, median ${percentile(wakes, 50).toFixed(3)} ms`);
  return {
    params: { operator: 'examples/webapp/js', rounds, snapshot: 'sdk image encoding (zstd 1), not yet the host codec' },
    metrics: {
      js_wasm_bytes: built.sizeBytes,
      js_engine_bytes: details.engineBytes,
      js_script_bytes: details.scriptBytes,
      js_image_bytes: details.imageBytes,
      js_preinit_memory_bytes: details.memoryBytes,
      js_resident_bytes: residentBytes,
      js_snapshot_bytes: snapshot.length,
      js_cold_wake_ms: percentile(wakes, 50),
      js_cold_wake_p99_ms: percentile(wakes, 99),
    },
  };
}

const benchmark: Benchmark = { run };
export default benchmark;
