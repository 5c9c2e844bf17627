/**
 * The cluster mode end to end, in one process: WasmOperator custom resources on the embedded
 * API server, a cluster host running them, and what a platform engineer sees: status,
 * conditions, Events, finalizers, and the state on disk. The example configmap-replicator is
 * the guest; its module travels in a ConfigMap.
 *
 * All host traffic goes through a recording relay, because the embedded API server has no
 * RBAC and ignores impersonation: the tests check the `Impersonate-User` header a real API
 * server would authorise, not an authorisation decision.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exampleModule } from '../examples/example-guest.ts';
import { startClusterHost, wasmOperatorCrd, type ClusterHost } from '../src/control/index.ts';
import type { WasmOperatorStatus } from '../src/runtime/index.ts';
import { decodeHeader } from '../src/wasm/index.ts';
import { HostFixture } from './support/host-fixture.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';

const REPLICATE = 'replicator.wasm-operator.dev/replicate';
const wops = (namespace: string) => `/apis/wasm-operator.dev/v1alpha1/namespaces/${namespace}/wasmoperators`;

interface Wop {
  metadata: { name: string; generation: number; uid: string; finalizers?: string[] };
  status?: WasmOperatorStatus;
}
interface EventList {
  items: Array<{ type: string; reason: string; message: string; count: number; involvedObject: { name: string; uid: string; kind: string }; source: { component: string } }>;
}

const condition = (wop: Wop, type: string) => wop.status?.conditions?.find((c) => c.type === type);
const conditionIs = (wop: Wop, type: string, status: string, reason: string) => condition(wop, type)?.status === status && condition(wop, type)?.reason === reason;

describe('WasmOperator controller', () => {
  let fx: HostFixture;
  let proxy: RecordingProxy;
  let cluster: ClusterHost;
  let wasm: Uint8Array;

  before(async () => {
    wasm = await exampleModule('configmap-replicator');
    fx = await HostFixture.start();
    proxy = await startRecordingProxy(fx.server.url);
    await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n`);
    await fx.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', wasmOperatorCrd());
    await fx.waitFor('/apis/wasm-operator.dev/v1alpha1', (_body, status) => status === 200);
    cluster = await startClusterHost({
      restConfig: { ...fx.kube.config, server: proxy.url },
      stateDirectory: path.join(fx.directory, 'state'),
      logger: fx.logger,
      identity: 'host-0',
      // Raw snapshots, so the test below can tell the option reached the engine (small ones would be compressed by default).
      snapshotCompression: 'none',
      status: { host: '127.0.0.1', port: 0 },
      controller: { statusCheckMs: 50, status: { refreshMs: 200, minIntervalMs: 0 } },
    });
  });
  after(async () => {
    await cluster.stop();
    await proxy.close();
    await fx.stop();
  });

  async function moduleConfigMap(namespace: string, name: string, bytes: Uint8Array): Promise<void> {
    const response = await fx.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name }, binaryData: { 'module.wasm': Buffer.from(bytes).toString('base64') } });
    assert.ok(response.ok, response.text);
  }

  async function createWop(namespace: string, name: string, spec: Record<string, unknown>): Promise<Wop> {
    const response = await fx.request('POST', wops(namespace), { apiVersion: 'wasm-operator.dev/v1alpha1', kind: 'WasmOperator', metadata: { name }, spec });
    assert.ok(response.ok, response.text);
    return response.body as Wop;
  }

  const waitWop = (namespace: string, name: string, predicate: (w: Wop) => boolean) => fx.waitFor<Wop>(`${wops(namespace)}/${name}`, (w, status) => status === 200 && predicate(w));

  async function events(namespace: string, name: string): Promise<EventList['items']> {
    const list = (await fx.request('GET', `/api/v1/namespaces/${namespace}/events`)).body as EventList;
    return list.items.filter((e) => e.involvedObject.name === name);
  }

  test('a WasmOperator with its module in a ConfigMap runs, holds the cleanup finalizer, and its status reaches Ready with figures', async () => {
    await moduleConfigMap('ops', 'replicator-module', wasm);
    const created = await createWop('ops', 'replicator', { module: { configMap: { name: 'replicator-module', key: 'module.wasm' } }, idlePolicy: 'immediate', serviceAccountName: 'replicator' });
    // Ready once the host runs it; the figures follow with the next refresh.
    const ready = await waitWop('ops', 'replicator', (w) => conditionIs(w, 'Ready', 'True', 'Running') && (w.status?.wakeUps ?? 0) >= 1);
    assert.deepEqual(ready.metadata.finalizers, ['wasm-operator.dev/cleanup']);
    assert.equal(ready.status!.observedGeneration, created.metadata.generation);
    assert.match(ready.status!.moduleDigest!, /^sha256:[0-9a-f]{64}$/);
    assert.ok(conditionIs(ready, 'ModuleLoaded', 'True', 'Loaded') && conditionIs(ready, 'Degraded', 'False', 'AsExpected'));

    // The guest works: a labelled ConfigMap is copied into the other namespaces, and the counters say so.
    await fx.request('POST', '/api/v1/namespaces/ops/configmaps', { metadata: { name: 'shared', labels: { [REPLICATE]: 'true' } }, data: { greeting: 'hi' } });
    await fx.waitFor('/api/v1/namespaces/team-a/configmaps/shared', (_b, status) => status === 200);
    const counted = await waitWop('ops', 'replicator', (w) => (w.status?.reconciles ?? 0) >= 1 && (w.status?.snapshotBytes ?? 0) > 0);
    assert.ok(['Suspended', 'Warm', 'Busy', 'Suspending'].includes(counted.status!.phase!), String(counted.status!.phase));

    const running = (await events('ops', 'replicator')).filter((e) => e.reason === 'Running');
    assert.equal(running.length, 1);
    assert.deepEqual([running[0]!.type, running[0]!.involvedObject.uid, running[0]!.source.component], ['Normal', created.metadata.uid, 'host']);
  });

  test('the guest\'s API calls are sent as its ServiceAccount; the host\'s own calls are not', async () => {
    const copies = proxy.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/namespaces/team-a/configmaps'));
    assert.ok(copies.length >= 1, 'the guest created the copy through the relay');
    assert.ok(copies.every((r) => r.impersonateUser === 'system:serviceaccount:ops:replicator' && r.impersonateGroups.length === 0), JSON.stringify(copies));
    const own = proxy.requests.filter((r) => r.path.includes('/wasmoperators') || r.path.includes('/events') || r.path.includes('replicator-module') || r.path.includes('watch=true'));
    assert.ok(own.length > 0);
    assert.ok(own.every((r) => r.impersonateUser === undefined), JSON.stringify(own.filter((r) => r.impersonateUser !== undefined)));
  });

  test('editing the spec replaces the running operator and moves observedGeneration', async () => {
    const before = fx.logs.filter((l) => l.event === 'operator.replaced' && l.fields.operator === 'ops/replicator').length;
    const patched = await fx.request('PATCH', `${wops('ops')}/replicator`, { spec: { config: { exclude: 'kube-system,quiet' } } }, 'application/merge-patch+json');
    const generation = (patched.body as Wop).metadata.generation;
    assert.equal(generation, 2);
    const updated = await waitWop('ops', 'replicator', (w) => w.status?.observedGeneration === 2 && conditionIs(w, 'Ready', 'True', 'Running'));
    assert.ok(updated.status!.conditions!.every((c) => c.observedGeneration === 2));
    assert.equal(fx.logs.filter((l) => l.event === 'operator.replaced' && l.fields.operator === 'ops/replicator').length, before + 1);
  });

  test('a broken module is refused with a Degraded condition and a Warning Event, and the host runs on', async () => {
    await moduleConfigMap('team-a', 'broken-module', new TextEncoder().encode('this is not wasm'));
    await createWop('team-a', 'broken', { module: { configMap: { name: 'broken-module', key: 'module.wasm' } }, watches: [{ apiVersion: 'v1', kind: 'ConfigMap' }] });
    const refused = await waitWop('team-a', 'broken', (w) => conditionIs(w, 'Degraded', 'True', 'ModuleInvalid'));
    assert.equal(refused.status!.phase, 'Invalid');
    assert.ok(conditionIs(refused, 'Ready', 'False', 'ModuleInvalid') && conditionIs(refused, 'ModuleLoaded', 'False', 'ModuleInvalid'));
    assert.match(refused.status!.lastError!, /team-a\/broken/);
    const warning = await fx.waitFor<EventList>('/api/v1/namespaces/team-a/events', (l) => l.items.some((e) => e.involvedObject.name === 'broken' && e.type === 'Warning' && e.reason === 'ModuleInvalid'));
    assert.ok(warning.items.length > 0);
    assert.ok(cluster.host!.operators().some((r) => r.name === 'ops/replicator'), 'the other operator still runs');
  });

  test('a module that is not there yet leaves the operator Pending until it appears', async () => {
    // Watching ConfigMaps of team-a only, where nothing is labelled for copying: this second replicator stays quiet.
    const watches = [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a' }, { apiVersion: 'v1', kind: 'Namespace' }];
    await createWop('team-a', 'late', { module: { configMap: { name: 'late-module', key: 'module.wasm' } }, idlePolicy: 'immediate', watches });
    const pending = await waitWop('team-a', 'late', (w) => conditionIs(w, 'Ready', 'False', 'ModuleUnavailable'));
    assert.equal(pending.status!.phase, 'Pending');
    assert.ok((await events('team-a', 'late')).some((e) => e.type === 'Warning' && e.reason === 'ModuleUnavailable'));
    await moduleConfigMap('team-a', 'late-module', wasm);
    await waitWop('team-a', 'late', (w) => conditionIs(w, 'Ready', 'True', 'Running'));
  });

  test('a module file is refused in cluster mode as an invalid spec', async () => {
    await createWop('team-a', 'from-file', { module: { file: '/etc/passwd' }, watches: [{ apiVersion: 'v1', kind: 'ConfigMap' }] });
    const refused = await waitWop('team-a', 'from-file', (w) => conditionIs(w, 'Degraded', 'True', 'InvalidSpec'));
    assert.match(refused.status!.lastError!, /spec\.module\.file: Forbidden: module files are for local mode/);
    assert.equal(refused.status!.phase, 'Invalid');
  });

  test('deleting a WasmOperator stops it, removes its snapshots and state, then lets the object go', async () => {
    const snapshots = path.join(fx.directory, 'state', 'snapshots');
    const mine = async () => (await readdir(snapshots)).filter((f) => f.startsWith(encodeURIComponent('team-a/late')));
    assert.ok((await mine()).length > 0, 'the operator has snapshots before');
    for (const file of await mine()) assert.equal(decodeHeader(await readFile(path.join(snapshots, file))).codec, 'raw', `${file} as --snapshot-compression none asks`);
    assert.equal((await fx.request('DELETE', `${wops('team-a')}/late`)).status, 200);
    await fx.waitFor(`${wops('team-a')}/late`, (_b, status) => status === 404);
    assert.ok(!cluster.host!.operators().some((r) => r.name === 'team-a/late'));
    assert.deepEqual(await mine(), []);
    const state = await readdir(path.join(fx.directory, 'state', 'operators'));
    assert.ok(!state.some((f) => f.startsWith(encodeURIComponent('team-a/late'))), state.join(' '));
    assert.ok((await events('team-a', 'late')).some((e) => e.reason === 'Removed'));
  });

  test('the status endpoints show readiness, the operators and the controller\'s metrics', async () => {
    const get = async (p: string) => {
      const response = await fetch(`${cluster.statusUrl}${p}`);
      return { status: response.status, text: await response.text() };
    };
    assert.deepEqual(await get('/readyz'), { status: 200, text: 'ok\n' });
    const operators = JSON.parse((await get('/operators')).text) as { operators: Array<{ name: string }>; isLeader: boolean };
    assert.equal(operators.isLeader, true);
    assert.ok(operators.operators.some((o) => o.name === 'ops/replicator'));
    const metrics = (await get('/metrics')).text;
    assert.match(metrics, /^wasm_operator_leader 1$/m);
    assert.match(metrics, /^wasm_operator_status_writes_total\{outcome="written"\} [1-9]/m);
    assert.match(metrics, /^wasm_operator_phase\{operator="ops\/replicator",phase="\w+"\} 1$/m);
  });
});
