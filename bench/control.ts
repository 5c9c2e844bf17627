/**
 * `wasm-operator bench control`: the cluster mode as a platform engineer runs it. The host is
 * a child process (`wasm-operator run`, from the bundle) against the embedded API server:
 * - its RSS idle, and with N suspended WasmOperators (configmap-replicator modules, each in a
 *   ConfigMap, each watching its own namespace);
 * - how long N WasmOperators created at once take to report Ready (status checked every second);
 * - how many status writes N busy operators cost (each reconciling once a second), against
 *   the reconciles they run: the point of coalescing;
 * - how long a standby takes to run every operator after the leader is killed (SIGKILL, so
 *   the lease must expire), with the lease duration as a parameter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApiServer } from '../src/apiserver/index.ts';
import { buildOperator } from '../src/build/index.ts';
import { wasmOperatorCrd } from '../src/control/index.ts';
import { KubeClient } from '../src/kube/index.ts';
import { projectPath } from '../src/project-path.ts';
import type { WasmOperatorStatus } from '../src/runtime/index.ts';
import { percentile, type Benchmark, type BenchContext } from './benchmark.ts';

interface HostProcess {
  child: ChildProcess;
  statusUrl: Promise<string>;
  exited: Promise<number | null>;
}

function startHost(kubeconfig: string, stateDir: string, extra: string[]): HostProcess {
  const child = spawn(process.execPath, [projectPath('bin', 'wasm-operator.js'), 'run', '--kubeconfig', kubeconfig, '--state-dir', stateDir, '--status-address', '127.0.0.1:0', '--status-refresh', '30s', '--log-format', 'json', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let buffer = '';
  const statusUrl = new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const match = /"event":"host\.status".*?"url":"([^"]+)"/.exec(buffer);
      if (match) resolve(match[1]!);
      if (buffer.length > 1 << 20) buffer = buffer.slice(-4096);
    });
    child.on('exit', (code) => reject(new Error(`the host exited with ${code} before serving its status: ${buffer.slice(-2000)}`)));
  });
  statusUrl.catch(() => {});
  return { child, statusUrl, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const benchmark: Benchmark = {
  async run(ctx: BenchContext) {
    const operators = ctx.quick ? 20 : Number(ctx.options.operators ?? 100);
    // Longer than the status refresh (30 s), so that the counters' periodic writes are seen.
    const churnSeconds = ctx.quick ? 45 : 120;
    const leaseSeconds = 3;
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'wo-bench-control-'));
    const server = await startApiServer({ port: 0 });
    const kubeconfig = path.join(tmp, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const kube = new KubeClient({ server: server.url, source: 'bench', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { rateLimit: { qps: Infinity, burst: 1 } });
    const hosts: HostProcess[] = [];
    try {
      ctx.log('building the configmap-replicator example');
      const wasm = (await buildOperator(projectPath('examples', 'configmap-replicator', 'assembly', 'index.ts'))).wasm;
      await kube.call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: wasmOperatorCrd() });
      while ((await kube.request({ method: 'GET', path: '/apis/wasm-operator.dev/v1alpha1' })).status !== 200) await sleep(50);

      ctx.log('idle host');
      const first = startHost(kubeconfig, path.join(tmp, 'state'), ['--leader-elect', '--leader-election-namespace', 'default', '--lease-duration', `${leaseSeconds}s`, '--renew-deadline', '2s', '--retry-period', '500ms', '--identity', 'first']);
      hosts.push(first);
      const firstUrl = await first.statusUrl;
      while ((await fetch(`${firstUrl}/readyz`)).status !== 200 || (await metric(firstUrl, 'wasm_operator_leader')) !== 1) await sleep(100);
      await sleep(3_000);
      const idleRss = await rssBytes(first.child.pid!);

      ctx.log(`${operators} WasmOperators created at once`);
      const names = Array.from({ length: operators }, (_, i) => `bench-${i}`);
      for (const ns of names) {
        await kube.call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } } });
        await kube.call({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: { metadata: { name: 'module' }, binaryData: { 'module.wasm': Buffer.from(wasm).toString('base64') } } });
        await kube.call({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: { metadata: { name: 'tick' }, data: { n: '0' } } });
      }
      const createdAt = new Map<string, number>();
      const readyAfter = new Map<string, number>();
      await Promise.all(names.map(async (ns) => {
        createdAt.set(ns, performance.now());
        await kube.call({
          method: 'POST',
          path: `/apis/wasm-operator.dev/v1alpha1/namespaces/${ns}/wasmoperators`,
          body: { apiVersion: 'wasm-operator.dev/v1alpha1', kind: 'WasmOperator', metadata: { name: 'replicator' }, spec: { module: { configMap: { name: 'module', key: 'module.wasm' } }, idlePolicy: 'immediate', watches: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns }, { apiVersion: 'v1', kind: 'Namespace' }] } },
        });
      }));
      while (readyAfter.size < operators) {
        const list = await kube.call<{ items: Array<{ metadata: { namespace: string }; status?: WasmOperatorStatus }> }>({ method: 'GET', path: '/apis/wasm-operator.dev/v1alpha1/wasmoperators' });
        const now = performance.now();
        for (const item of list.items) {
          const ns = item.metadata.namespace;
          if (!readyAfter.has(ns) && item.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) readyAfter.set(ns, now - createdAt.get(ns)!);
        }
        await sleep(50);
      }
      const readyMs = [...readyAfter.values()];
      await sleep(3_000);
      const operatorsRss = await rssBytes(first.child.pid!);

      ctx.log(`${churnSeconds} s of one change per operator per second`);
      const writesBefore = await metric(firstUrl, 'wasm_operator_status_writes_total{outcome="written"}');
      const reconcilesBefore = await metric(firstUrl, 'wasm_operator_reconcile_duration_ms_count');
      for (let s = 1; s <= churnSeconds; s++) {
        const started = performance.now();
        await Promise.all(names.map((ns) => kube.call({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/configmaps/tick`, body: { data: { n: String(s) } }, contentType: 'application/merge-patch+json' })));
        await sleep(Math.max(0, 1_000 - (performance.now() - started)));
      }
      const writes = (await metric(firstUrl, 'wasm_operator_status_writes_total{outcome="written"}')) - writesBefore;
      const reconciles = (await metric(firstUrl, 'wasm_operator_reconcile_duration_ms_count')) - reconcilesBefore;

      ctx.log('failover: a standby, then the leader killed');
      const standby = startHost(kubeconfig, path.join(tmp, 'state'), ['--leader-elect', '--leader-election-namespace', 'default', '--lease-duration', `${leaseSeconds}s`, '--renew-deadline', '2s', '--retry-period', '500ms', '--identity', 'standby']);
      hosts.push(standby);
      const standbyUrl = await standby.statusUrl;
      while ((await fetch(`${standbyUrl}/readyz`)).status !== 200) await sleep(100);
      const standbyRss = await rssBytes(standby.child.pid!);
      const killedAt = performance.now();
      first.child.kill('SIGKILL');
      for (;;) {
        const view = (await (await fetch(`${standbyUrl}/operators`)).json()) as { operators: Array<{ phase: string }> };
        if (view.operators.length === operators && view.operators.every((o) => o.phase !== 'loading' && o.phase !== 'cold')) break;
        await sleep(50);
      }
      const failoverMs = performance.now() - killedAt;

      return {
        params: { operators, churnSeconds, leaseDurationSeconds: leaseSeconds, statusRefreshSeconds: 30, moduleBytes: wasm.length },
        metrics: {
          cluster_idle_rss_bytes: idleRss,
          cluster_rss_bytes_with_operators: operatorsRss,
          cluster_rss_bytes_per_operator: Math.round((operatorsRss - idleRss) / operators),
          standby_rss_bytes: standbyRss,
          create_to_ready_p50_ms: Math.round(percentile(readyMs, 50)),
          create_to_ready_p99_ms: Math.round(percentile(readyMs, 99)),
          reconciles_per_operator_per_min: Math.round((reconciles / operators / churnSeconds) * 60 * 10) / 10,
          status_writes_per_operator_per_min: Math.round((writes / operators / churnSeconds) * 60 * 100) / 100,
          failover_ms: Math.round(failoverMs),
        },
      };
    } finally {
      for (const host of hosts) host.child.kill('SIGKILL');
      await Promise.all(hosts.map((h) => h.exited));
      kube.close();
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    }
  },
};

export default benchmark;
