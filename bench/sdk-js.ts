/**
 * The JS/TypeScript SDK's costs, for the `webapp` example: module, script and image sizes at
 * build time; then, in the host's engine and ABI session, resident memory (linear memory after
 * init and a settled reconcile), snapshot size while suspended (base image plus latest delta),
 * and cold-wake latency: restore from those snapshots into a fresh instance of the already
 * compiled engine, then enter `wo_reconcile` for a WebApp that needs no API write. Last, the
 * cost of loading 20 JS operators, which share one compiled engine, and the process memory each
 * instance adds; and the same operator in a real host (as bench/sdk-as.ts measures it: the host's
 * restore times, resident bytes while warm, snapshot bytes on disk).
 */
import { buildOperator } from '../src/build/index.ts';
import { buildJsOperator } from '../src/build/toolchains/js.ts';
import { providedImports, requiredExports } from '../src/abi/index.ts';
import { appendCustomSection } from '../src/build/custom-section.ts';
import { manifestSectionName, WasmEngine } from '../src/wasm/index.ts';
import { AbiHarness, cacheOf, type HarnessHandlers } from '../sdk/test/abi-harness.ts';
import { percentile } from './benchmark.ts';
import { inHost } from './sdk-as.ts';
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
const init = { abiVersion: 1, operator: { name: 'webapp' }, config: { defaultImage: 'nginx:1.27' } };
const mib = 1024 * 1024;

/**
 * 20 JS operators (the webapp module, without its manifest, given 20 different ones) in one
 * engine: their engine code is compiled once and shared. Measures the first load and the
 * others, then starts each from its image and measures the process's RSS growth per instance.
 */
async function twentyOperators(wasm: Uint8Array, count: number): Promise<{ codes: number; firstMs: number; nextMs: number; rssPerInstanceBytes: number }> {
  const engine = new WasmEngine({ reclaimMemory: false });
  const times: number[] = [];
  const modules = [];
  for (let i = 0; i < count; i++) {
    const bytes = appendCustomSection(wasm, manifestSectionName, new TextEncoder().encode(JSON.stringify({ config: { instance: i } })));
    const start = performance.now();
    modules.push(await engine.load(bytes, { source: `webapp-${i}.wasm`, maxMemoryBytes: 64 * mib, imports: providedImports, requiredExports }));
    times.push(performance.now() - start);
  }
  const imports = providedImports.map((spec) => ({ ...spec, fn: () => 0, suspending: false }));
  const before = process.memoryUsage().rss;
  const instances = [];
  for (const [i, module] of modules.entries()) instances.push(await engine.instantiate(module, { operator: `webapp-${i}`, imports }));
  const rssPerInstanceBytes = (process.memoryUsage().rss - before) / count;
  for (const instance of instances) instance.drop();
  return { codes: new Set(modules.map((m) => m.code)).size, firstMs: times[0]!, nextMs: percentile(times.slice(1), 50), rssPerInstanceBytes };
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const details = await buildJsOperator(entry, { cacheDir: toolsCacheDir });
  const built = await buildOperator(entry, { lang: 'js', cacheDir: null, toolsCacheDir });

  // As the host runs it: started from its image, init, base snapshot, a settled reconcile, suspended.
  const guest = await AbiHarness.load(built.wasm, settledWorld());
  await guest.init(init);
  await guest.snapshot('base');
  const first = await guest.reconcile(request);
  if (first.kind !== 'done' || guest.requests.length > 0) throw new Error(`the settled webapp reconcile was not a no-op: ${JSON.stringify(first)}`);
  const residentBytes = guest.memoryBytes;
  await guest.suspend();
  const snapshotBytes = await guest.snapshots.sizeBytes('test-operator');

  // A cold wake: restore from the snapshots into a fresh instance of the compiled engine, then enter wo_reconcile.
  const rounds = ctx.quick ? 50 : 500;
  const wakes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await guest.wake();
    await guest.reconcile(request);
    wakes.push(performance.now() - start);
    await guest.suspend();
  }
  ctx.log(`${rounds} cold wakes, median ${percentile(wakes, 50).toFixed(3)} ms; resident ${residentBytes} bytes, snapshots ${snapshotBytes} bytes`);

  const many = await twentyOperators(details.module, 20);
  ctx.log(`20 JS operators: ${many.codes} compiled engine(s); first load ${many.firstMs.toFixed(1)} ms, others ${many.nextMs.toFixed(2)} ms (median); RSS ${(many.rssPerInstanceBytes / 1024).toFixed(0)} KiB per instance started from its image`);
  const host = await inHost(built.wasm, ctx.quick ? 10 : 50);
  ctx.log(`in a host: ${host.wakeMs.length} wakes from disk, median ${percentile(host.wakeMs, 50).toFixed(2)} ms; resident ${host.residentBytes} bytes, snapshots ${host.snapshotBytes} bytes`);
  return {
    params: { operator: 'examples/webapp/js', rounds, host: 'the host\'s engine and ABI session (sdk/test/abi-harness.ts), then a real host', hostWakes: host.wakeMs.length },
    metrics: {
      js_wasm_bytes: built.sizeBytes,
      js_engine_bytes: details.engineBytes,
      js_script_bytes: details.scriptBytes,
      js_image_bytes: details.imageBytes,
      js_preinit_memory_bytes: details.memoryBytes,
      js_resident_bytes: residentBytes,
      js_snapshot_bytes: snapshotBytes,
      js_cold_wake_ms: percentile(wakes, 50),
      js_cold_wake_p99_ms: percentile(wakes, 99),
      js_compiled_engines_for_20_operators: many.codes,
      js_load_first_ms: many.firstMs,
      js_load_shared_ms: many.nextMs,
      js_rss_per_instance_bytes: many.rssPerInstanceBytes,
      js_host_wake_ms: percentile(host.wakeMs, 50),
      js_host_wake_p99_ms: percentile(host.wakeMs, 99),
      js_host_resident_bytes: host.residentBytes,
      js_host_snapshot_bytes: host.snapshotBytes,
    },
  };
}

const benchmark: Benchmark = { run };
export default benchmark;
