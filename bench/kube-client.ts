/**
 * `wasm-operator bench kube-client`: what the host's own Kubernetes client costs in memory
 * (the reason it exists: importing @kubernetes/client-node costs tens of MB of RSS), and how
 * fast and how compactly an informer syncs. Each memory figure comes from fresh processes
 * (bench/kube-client-probe.js), median of several.
 *
 * The client is measured twice: as JavaScript (its own cost: the sources with their types
 * stripped ahead of time) and as the host runs it today, from .ts files through Node's type
 * stripping, whose cost grows with the amount of TypeScript loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApiServer } from '../src/apiserver/index.ts';
import { KubeClient } from '../src/kube/index.ts';
import { percentile, type Benchmark, type BenchContext } from './benchmark.ts';
import { projectRoot } from '../src/project-path.ts';

const run = promisify(execFile);
const root = projectRoot();
const probe = path.join(root, 'bench', 'kube-client-probe.js');
// src/kube and everything it imports.
const kubeSources = ['src/kube', 'src/log', 'src/errors.ts'];

async function sample(args: string[]): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--expose-gc', probe, ...args], { maxBuffer: 1 << 20, cwd: root });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

async function medianOf(samples: number, args: string[], field: string): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) values.push((await sample(args))[field]!);
  return percentile(values, 50);
}

/** Copies the kube client's sources into `dir` as JavaScript (types stripped, `.ts` imports renamed). */
async function stripToJs(dir: string): Promise<string> {
  const files: string[] = [];
  for (const source of kubeSources) {
    if (source.endsWith('.ts')) files.push(source);
    else for (const f of await readdir(path.join(root, source), { recursive: true })) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) files.push(path.join(source, f));
  }
  for (const file of files) {
    const js = stripTypeScriptTypes(await readFile(path.join(root, file), 'utf8')).replace(/(['"])(\.{1,2}\/[^'"]+)\.ts\1/g, '$1$2.js$1');
    const out = path.join(dir, file.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, js);
  }
  return path.join(dir, 'src', 'kube', 'index.js');
}

const benchmark: Benchmark = {
  async run(ctx: BenchContext) {
    const samples = ctx.quick ? 3 : 7;
    const objects = ctx.quick ? 500 : 2_000;
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'wo-bench-kube-'));
    const server = await startApiServer({ port: 0 });
    const seed = new KubeClient({ server: server.url, source: 'bench', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { rateLimit: { qps: Infinity, burst: 1 } });
    try {
      const kubeJs = await stripToJs(tmp);
      const kubeTs = path.join(root, 'src', 'kube', 'index.ts');
      const trivialTs = path.join(tmp, 'trivial.ts');
      await writeFile(trivialTs, 'export const one: number = 1;\n');
      ctx.log(`import RSS: ${samples} fresh processes for each of bare, kube (JS), kube (TS), one .ts file, @kubernetes/client-node`);
      const bare = await medianOf(samples, ['bare'], 'rss');
      const kube = await medianOf(samples, ['import', kubeJs], 'rss');
      const kubeAsTs = await medianOf(samples, ['import', kubeTs], 'rss');
      const oneTs = await medianOf(samples, ['import', trivialTs], 'rss');
      const clientNode = await medianOf(samples, ['import', '@kubernetes/client-node'], 'rss');

      ctx.log(`informer: ${objects} ConfigMaps on the embedded API server, ${samples} syncs`);
      await seed.call({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } } });
      for (let i = 0; i < objects; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, objects - i) }, (_, j) => seed.call({
          method: 'POST', path: '/api/v1/namespaces/bench/configmaps',
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i + j}`, labels: { app: 'bench', index: String(i + j) } }, data: { key: 'value'.repeat(20) } },
        })));
      }
      const syncs: Record<string, number>[] = [];
      for (let i = 0; i < samples; i++) syncs.push(await sample(['informer', kubeJs, server.url, 'bench']));
      const med = (field: string) => percentile(syncs.map((r) => r[field]!), 50);
      return {
        params: { samples, objects, pageSize: 500 },
        metrics: {
          bare_rss_bytes: bare,
          kube_import_delta_rss_bytes: kube - bare,
          kube_import_ts_delta_rss_bytes: kubeAsTs - bare,
          one_ts_file_delta_rss_bytes: oneTs - bare,
          client_node_import_delta_rss_bytes: clientNode - bare,
          informer_sync_ms: Math.round(med('syncMs')),
          informer_objects_per_s: Math.round(objects / (med('syncMs') / 1000)),
          informer_heap_bytes_per_object: Math.round(med('heapBytes') / objects),
          informer_synced_delta_rss_bytes: med('rss') - bare,
        },
      };
    } finally {
      seed.close();
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    }
  },
};

export default benchmark;
