/**
 * How sparingly WasmOperator status is written, against the embedded API server with time
 * stepped by hand: the writes are counted on the wire by a recording relay.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startApiServer, type ApiServer } from '../src/apiserver/index.ts';
import { EventRecorder } from '../src/control/controller/event-recorder.ts';
import { StatusReporter, type TrackedOperator } from '../src/control/controller/status-reporter.ts';
import { wasmOperatorCrd, wasmOperatorResource } from '../src/control/index.ts';
import { KubeClient } from '../src/kube/index.ts';
import { silentLogger } from '../src/log/index.ts';
import type { OperatorReport, WasmOperatorStatus } from '../src/runtime/index.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';

let server: ApiServer;
let proxy: RecordingProxy;
let kube: KubeClient;
const base = '/apis/wasm-operator.dev/v1alpha1/namespaces/default/wasmoperators';

before(async () => {
  server = await startApiServer({ port: 0 });
  proxy = await startRecordingProxy(server.url);
  kube = new KubeClient({ server: proxy.url, source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } });
  await kube.call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: wasmOperatorCrd() });
  for (let i = 0; i < 100 && (await kube.request({ method: 'GET', path: '/apis/wasm-operator.dev/v1alpha1' })).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
});
after(async () => {
  kube.close();
  await proxy.close();
  await server.close();
});

let clockMs = Date.parse('2026-03-01T10:00:00Z');
beforeEach(() => {
  clockMs += 3_600_000;
});

async function operators(prefix: string, count: number): Promise<Map<string, TrackedOperator>> {
  const tracked = new Map<string, TrackedOperator>();
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    const created = await kube.call<{ metadata: { uid: string } }>({ method: 'POST', path: base, body: { apiVersion: 'wasm-operator.dev/v1alpha1', kind: 'WasmOperator', metadata: { name }, spec: { module: { url: 'https://example.com/m.wasm', sha256: 'a'.repeat(64) } } } });
    tracked.set(`default/${name}`, {
      subject: { apiVersion: 'wasm-operator.dev/v1alpha1', kind: 'WasmOperator', namespace: 'default', name, uid: created.metadata.uid },
      status: undefined,
      attempt: { kind: 'applied', generation: 1 },
    });
  }
  return tracked;
}

function report(name: string, over: Partial<OperatorReport> = {}): OperatorReport {
  return { name, phase: 'suspended', moduleDigest: 'sha256:abc', wakeUps: 1, reconciles: 1, failures: 0, suspensions: 1, residentBytes: 0, snapshotBytes: 100, queued: 0, lastActiveMs: 0, pinned: false, ...over };
}

function reporter(writes: { qps: number; burst: number }) {
  const events = new EventRecorder(kube, { component: 'host', instance: 'test', logger: silentLogger, now: () => clockMs });
  return { events, reporter: new StatusReporter({ kube, resource: wasmOperatorResource, logger: silentLogger, events, refreshMs: 30_000, minIntervalMs: 1_000, writes, now: () => clockMs }) };
}

const statusWrites = (prefix: string) => proxy.requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/wasmoperators/${prefix}-`) && r.path.endsWith('/status')).length;
const statusOf = async (name: string) => (await kube.call<{ status?: WasmOperatorStatus }>({ method: 'GET', path: `${base}/${name}` })).status;

test('writes beyond the rate wait for the next check, and changes coalesce meanwhile', async () => {
  const tracked = await operators('rate', 3);
  const { reporter: r } = reporter({ qps: 1, burst: 2 });
  const reports = [...tracked.keys()].map((k) => report(k));
  const host = { operators: () => reports, problems: () => [] };
  await r.check(tracked, host);
  assert.equal(statusWrites('rate'), 2, 'the burst');
  await r.check(tracked, host);
  assert.equal(statusWrites('rate'), 2, 'no token left');
  reports[2] = report('default/rate-2', { reconciles: 7 });
  clockMs += 1_000;
  await r.check(tracked, host);
  assert.equal(statusWrites('rate'), 3);
  assert.equal((await statusOf('rate-2'))!.reconciles, 7, 'the latest figures, not those of the first check');
});

test('counters are written once per refresh period; a condition change at once', async () => {
  const tracked = await operators('refresh', 1);
  const { reporter: r, events } = reporter({ qps: 100, burst: 100 });
  let current = report('default/refresh-0');
  const host = { operators: () => [current], problems: () => [] };
  await r.check(tracked, host);
  assert.equal(statusWrites('refresh'), 1);
  for (let i = 0; i < 20; i++) {
    current = report('default/refresh-0', { reconciles: 2 + i, phase: i % 2 === 0 ? 'warm' : 'suspended', residentBytes: i % 2 === 0 ? 65536 : 0 });
    clockMs += 1_000;
    await r.check(tracked, host);
  }
  assert.equal(statusWrites('refresh'), 1, 'twenty seconds of wakes and reconciles, no write');
  clockMs += 10_000;
  await r.check(tracked, host);
  assert.equal(statusWrites('refresh'), 2, 'the refresh');
  assert.equal((await statusOf('refresh-0'))!.reconciles, 21);

  current = report('default/refresh-0', { phase: 'failed', failures: 1, lastError: 'trap: unreachable' });
  clockMs += 1_000;
  await r.check(tracked, host);
  assert.equal(statusWrites('refresh'), 3, 'a failing guest is written at once');
  const status = await statusOf('refresh-0');
  assert.deepEqual(status!.conditions!.map((c) => `${c.type}=${c.status}/${c.reason}`), ['Ready=False/GuestFailing', 'ModuleLoaded=True/Loaded', 'Degraded=True/GuestFailing']);
  await events.flush();
  const warnings = (await kube.call<{ items: Array<{ reason: string; involvedObject: { name: string } }> }>({ method: 'GET', path: '/api/v1/namespaces/default/events' })).items.filter((e) => e.involvedObject.name === 'refresh-0' && e.reason === 'GuestFailing');
  assert.equal(warnings.length, 1);
});

test('the same event again is counted on the first one, not written anew', async () => {
  const tracked = await operators('flap', 1);
  const { reporter: r, events } = reporter({ qps: 100, burst: 100 });
  let current = report('default/flap-0');
  const host = { operators: () => [current], problems: () => [] };
  for (let i = 0; i < 3; i++) {
    current = report('default/flap-0', { phase: 'failed', lastError: 'trap: unreachable' });
    clockMs += 1_000;
    await r.check(tracked, host);
    current = report('default/flap-0', { phase: 'warm', lastError: 'trap: unreachable' });
    clockMs += 1_000;
    await r.check(tracked, host);
  }
  await events.flush();
  const list = await kube.call<{ items: Array<{ reason: string; count: number; involvedObject: { name: string } }> }>({ method: 'GET', path: '/api/v1/namespaces/default/events' });
  const mine = list.items.filter((e) => e.involvedObject.name === 'flap-0');
  assert.deepEqual(mine.map((e) => [e.reason, e.count]).sort(), [['GuestFailing', 3], ['Running', 3]]);
});
