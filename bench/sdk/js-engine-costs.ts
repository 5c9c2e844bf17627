/**
 * What only the JS/TypeScript SDK has: a shared engine. The webapp's build parts (engine,
 * bundled script, pre-initialised image) and 20 JS operators (the webapp module, without its
 * manifest, given 20 different ones) in one engine: their engine code is compiled once and
 * shared. Measures the first load and the others, then starts each from its image and
 * measures the process's RSS growth per instance.
 */
import { providedImports, requiredExports } from '../../src/abi/index.ts';
import { appendCustomSection } from '../../src/build/custom-section.ts';
import { buildJsOperator } from '../../src/build/toolchains/js.ts';
import { manifestSectionName, WasmEngine } from '../../src/wasm/index.ts';
import { percentile } from '../benchmark.ts';

const mib = 1024 * 1024;

export async function jsEngineCosts(entry: string, toolsCacheDir: string, count: number): Promise<Record<string, number>> {
  const details = await buildJsOperator(entry, { cacheDir: toolsCacheDir });
  const engine = new WasmEngine({ reclaimMemory: false });
  const times: number[] = [];
  const modules = [];
  for (let i = 0; i < count; i++) {
    const bytes = appendCustomSection(details.module, manifestSectionName, new TextEncoder().encode(JSON.stringify({ config: { instance: i } })));
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
  return {
    js_engine_bytes: details.engineBytes,
    js_script_bytes: details.scriptBytes,
    js_image_bytes: details.imageBytes,
    js_preinit_memory_bytes: details.memoryBytes,
    [`js_compiled_engines_for_${count}_operators`]: new Set(modules.map((m) => m.code)).size,
    js_load_first_ms: times[0]!,
    js_load_shared_ms: percentile(times.slice(1), 50),
    js_rss_per_instance_bytes: rssPerInstanceBytes,
  };
}
