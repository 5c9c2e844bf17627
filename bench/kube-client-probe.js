// Run by `bench kube-client` in a fresh process per sample, with --expose-gc. Plain JavaScript
// on purpose: a TypeScript probe would load Node's type stripper into every sample, baseline
// included. Prints one JSON line.
//   bare                                 RSS with nothing imported
//   import <specifier>                   RSS after importing it
//   informer <kube entry> <url> <ns>     sync one informer over the namespace's ConfigMaps
import { readFileSync } from 'node:fs';

const gc = globalThis.gc;
if (!gc) throw new Error('run with --expose-gc');

async function settledRss() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  // VmRSS, as `ps` and the kernel's OOM accounting see it.
  return Number(/VmRSS:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
}

const [mode, target, url, namespace] = process.argv.slice(2);
if (mode === 'bare') {
  console.log(JSON.stringify({ rss: await settledRss() }));
} else if (mode === 'import') {
  await import(target);
  console.log(JSON.stringify({ rss: await settledRss() }));
} else if (mode === 'informer') {
  const { InformerRegistry, KubeClient } = await import(target);
  const client = new KubeClient({ server: url, source: 'bench', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } });
  const registry = new InformerRegistry(client);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const resource = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: [] };
  const { informer } = registry.subscribe({ resource, namespace }, () => {});
  await informer.synced();
  const syncMs = performance.now() - started;
  const rss = await settledRss();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  console.log(JSON.stringify({ syncMs, rss, objects: informer.size, heapBytes }));
  await registry.stop();
  client.close();
} else {
  throw new Error(`unknown probe mode ${mode}`);
}
