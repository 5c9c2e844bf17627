/**
 * `wasm-operator bench apiserver`: the embedded API server measured as clients meet it, over
 * real HTTP with keep-alive, the server in its own process (started by the CLI, as users start
 * it) so that it and the load generator do not share a core.
 *
 * Metrics: creates/s in memory and durable (--data-dir, every write fsynced before its
 * answer), updates/s, the time to list 10,000 objects, and the p99 delay from a write to its
 * event at each of 100 watchers; plus the server's RSS and its CPU time per operation, which,
 * unlike the rates, does not depend on what else the machine is doing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { percentile, type BenchContext, type BenchOutcome, type Benchmark } from './benchmark.ts';
import { projectPath } from '../src/project-path.ts';

const bin = projectPath('bin', 'wasm-operator.js');
const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

interface RunningServer {
  url: string;
  child: ChildProcess;
  rssMb(): number;
  /** CPU time the server process has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

// utime and stime of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startServer(dataDir?: string): Promise<RunningServer> {
  const args = [bin, 'apiserver', '--port', '0', ...(dataDir === undefined ? ['--in-memory'] : ['--data-dir', dataDir])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`apiserver exited with ${code}: ${err}`)));
  });
  return {
    url,
    child,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m === null ? Number.NaN : Number(m[1]) / 1024;
    },
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// node:http with a keep-alive pool costs the load generator far less CPU than fetch, which
// matters when it shares two cores with the server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Reply {
  status: number;
  json: { metadata: { resourceVersion: string }; items?: unknown[] };
}

function call(url: string, method: string, body?: unknown): Promise<Reply> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = { Accept: 'application/json' };
  if (text !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(text);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply['json'];
        const status = res.statusCode ?? 0;
        if (status >= 300) reject(new Error(`${method} ${url}: ${status} ${JSON.stringify(json)}`));
        else resolve({ status, json });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}

/** Runs `total` operations with `concurrency` in flight; returns operations per second. */
async function rate(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await op(next++);
  }));
  return total / ((performance.now() - started) / 1000);
}

function configMap(name: string, i: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'apiserver', shard: String(i % 10) } }, data: { index: String(i), payload: 'x'.repeat(200) } };
}

/** Creates/s, and the server's CPU time per create in µs (independent of other load on the machine). */
async function creates(server: RunningServer, ns: string, count: number, concurrency: number): Promise<{ perSecond: number; cpuUs: number }> {
  await call(`${server.url}/api/v1/namespaces`, 'POST', { metadata: { name: ns } });
  const cpuBefore = server.cpuMs();
  const perSecond = await rate(count, concurrency, (i) => call(`${server.url}${cms(ns)}`, 'POST', configMap(`cm-${i}`, i)));
  return { perSecond, cpuUs: ((server.cpuMs() - cpuBefore) * 1000) / count };
}

async function watchLatencies(server: RunningServer, watchers: number, events: number, intervalMs: number): Promise<number[]> {
  const ns = 'watched';
  await call(`${server.url}/api/v1/namespaces`, 'POST', { metadata: { name: ns } });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const requests: http.ClientRequest[] = [];
  const rv = (await call(`${server.url}${cms(ns)}`, 'GET')).json.metadata.resourceVersion;
  let received = 0;
  const allReceived = new Promise<void>((resolve) => {
    for (let w = 0; w < watchers; w++) {
      const req = http.get(`${server.url}${cms(ns)}?watch=true&resourceVersion=${rv}`, (res) => {
        let buffer = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            const name = /"name":"(w-\d+)"/.exec(line)?.[1];
            const start = name === undefined ? undefined : sentAt.get(name);
            if (start !== undefined) {
              latencies.push(performance.now() - start);
              if (++received === watchers * events) resolve();
            }
          }
        });
      });
      req.on('error', () => undefined);
      requests.push(req);
    }
  });
  await new Promise((r) => setTimeout(r, 500)); // let every watch connect
  for (let i = 0; i < events; i++) {
    const name = `w-${i}`;
    sentAt.set(name, performance.now());
    await call(`${server.url}${cms(ns)}`, 'POST', configMap(name, i));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await Promise.race([allReceived, new Promise((r) => setTimeout(r, 30_000))]);
  for (const r of requests) r.destroy();
  if (received < watchers * events) throw new Error(`only ${received} of ${watchers * events} watch events arrived`);
  return latencies;
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const concurrency = Number(ctx.options.concurrency ?? 16);
  const createCount = ctx.quick ? 3_000 : 10_000;
  const updateCount = ctx.quick ? 3_000 : 10_000;
  const durableCount = ctx.quick ? 2_000 : 5_000;
  const listRuns = ctx.quick ? 5 : 15;
  const watchEvents = ctx.quick ? 50 : 200;
  const metrics: Record<string, number> = {};
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;

  const memory = await startServer();
  try {
    metrics.server_rss_mb_idle = memory.rssMb();
    ctx.log(`creating ${createCount} ConfigMaps in memory, ${concurrency} in flight`);
    const memoryCreates = await creates(memory, 'bench', createCount, concurrency);
    metrics.creates_per_s_memory = memoryCreates.perSecond;
    metrics.server_cpu_us_per_create_memory = memoryCreates.cpuUs;
    ctx.log(`updating ${updateCount} times`);
    const rvs = new Map<number, string>();
    const cpuBeforeUpdates = memory.cpuMs();
    metrics.updates_per_s_memory = await rate(updateCount, concurrency, async (i) => {
      const index = i % createCount;
      const name = `cm-${index}`;
      const body = { ...configMap(name, i), metadata: { name, resourceVersion: rvs.get(index) } };
      const res = await call(`${memory.url}${cms('bench')}/${name}`, 'PUT', body).catch(async () => {
        // Another writer moved this object on meanwhile: read it and try again.
        const current = (await call(`${memory.url}${cms('bench')}/${name}`, 'GET')).json;
        return call(`${memory.url}${cms('bench')}/${name}`, 'PUT', { ...body, metadata: { name, resourceVersion: current.metadata.resourceVersion } });
      });
      rvs.set(index, res.json.metadata.resourceVersion);
    });
    metrics.server_cpu_us_per_update_memory = ((memory.cpuMs() - cpuBeforeUpdates) * 1000) / updateCount;
    const missing = 10_000 - createCount;
    if (missing > 0) {
      ctx.log(`topping up to 10,000 objects for the list`);
      await rate(missing, concurrency, (i) => call(`${memory.url}${cms('bench')}`, 'POST', configMap(`cm-${createCount + i}`, i)));
    }
    const listTimes: number[] = [];
    for (let i = 0; i < listRuns; i++) {
      // Timed until the last byte arrives; parsing 7 MB of JSON is the client's cost, not the server's.
      const started = performance.now();
      const body = await fetchText(`${memory.url}${cms('bench')}`);
      listTimes.push(performance.now() - started);
      const items = (JSON.parse(body) as { items: unknown[] }).items;
      if (items.length !== 10_000) throw new Error(`listed ${items.length} objects, expected 10000`);
    }
    metrics.list_10k_ms = percentile(listTimes, 50);
    metrics.server_rss_mb_10k_objects = memory.rssMb();
    ctx.log(`watch fan-out: 100 watchers, ${watchEvents} events`);
    const cpuBeforeWatch = memory.cpuMs();
    const latencies = await watchLatencies(memory, 100, watchEvents, 20);
    // Includes the watches' setup and the writes themselves; the fan-out to 100 watchers dominates.
    metrics.server_cpu_ms_per_event_100_watchers = (memory.cpuMs() - cpuBeforeWatch) / watchEvents;
    metrics.watch_p50_ms_100_watchers = percentile(latencies, 50);
    metrics.watch_p99_ms_100_watchers = percentile(latencies, 99);
  } finally {
    await memory.stop();
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-apiserver-'));
  const durable = await startServer(dataDir);
  try {
    ctx.log(`creating ${durableCount} ConfigMaps durably in ${dataDir}`);
    const durableCreates = await creates(durable, 'bench', durableCount, concurrency);
    metrics.creates_per_s_durable = durableCreates.perSecond;
    metrics.server_cpu_us_per_create_durable = durableCreates.cpuUs;
    metrics.creates_per_s_durable_serial = (await creates(durable, 'serial', ctx.quick ? 300 : 1_000, 1)).perSecond;
  } finally {
    await durable.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  agent.destroy();
  for (const k of Object.keys(metrics)) metrics[k] = Math.round(metrics[k]! * 100) / 100;
  return {
    // The load average tells how much the figures per second owe to other work on the machine;
    // the server's CPU time per operation does not depend on it.
    params: { concurrency, createCount, updateCount, durableCount, listRuns, watchers: 100, watchEvents, cpus: os.cpus().length, loadavg_1m: loadAtStart },
    metrics,
  };
}

const benchmark: Benchmark = { run };
export default benchmark;
