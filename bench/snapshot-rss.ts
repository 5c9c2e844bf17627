/**
 * The RSS part of `bench snapshot`, run in a fresh child process so that "the empty host" is
 * an idle host and nothing measured before pollutes it:
 *
 *   node bench/snapshot-rss.ts <instances> <MiB each> <snapshot dir>
 *
 * Prints one JSON object of metrics: RSS of the empty host (engine and module loaded), with
 * every instance live, and after suspending them all, once the engine's reclaimer has run and
 * RSS has settled (V8 frees wasm memories on a background thread after the collection).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FsSnapshotStore, WasmEngine } from '../src/wasm/index.ts';
import type { WasmInstance } from '../src/wasm/index.ts';
import { testGuest } from '../test/support/guests.ts';

const rss = () => process.memoryUsage.rss();

async function main([count = '100', mib = '4', dir]: string[]): Promise<void> {
  if (dir === undefined) throw new Error('usage: node bench/snapshot-rss.ts <instances> <MiB each> <snapshot dir>');
  const engine = new WasmEngine();
  const module = await engine.load(await testGuest('memory-filler-c'), { source: 'memory-filler.wasm', maxMemoryBytes: 256 << 20 });
  const store = await FsSnapshotStore.open(dir);
  await sleep(500);
  const empty = rss();
  const instances: WasmInstance[] = [];
  for (let i = 0; i < Number(count); i++) {
    const instance = await engine.instantiate(module, { operator: `rss-${i}` });
    await engine.snapshot(instance, store, 'base');
    await instance.call('fill', [Number(mib) * 1024]);
    instances.push(instance);
  }
  const during = rss();
  const started = performance.now();
  for (const instance of instances) await engine.suspend(instance, store);
  const suspendAllMs = performance.now() - started;
  instances.length = 0;
  await engine.memoryReclaimed();
  let after = rss();
  for (let settled = 0; settled < 5 && performance.now() - started < suspendAllMs + 5_000;) {
    await sleep(100);
    const now = rss();
    settled = Math.abs(now - after) < 1 << 20 ? settled + 1 : 0;
    after = now;
  }
  process.stdout.write(`${JSON.stringify({
    rss_empty_bytes: empty, rss_during_bytes: during, rss_after_suspend_bytes: after,
    rss_after_suspend_ratio: after / empty, suspend_all_ms: suspendAllMs, rss_release_ms: performance.now() - started - suspendAllMs,
  })}\n`);
}

await main(process.argv.slice(2));
