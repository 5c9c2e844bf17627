/**
 * `wasm-operator run` in cluster mode, as child processes against the embedded API server:
 * two replicas with --leader-elect share one Lease and one state directory; only the leader
 * runs the WasmOperators, and when it is killed the other takes over, resuming the operators
 * from their snapshots.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exampleModule } from '../examples/example-guest.ts';
import { wasmOperatorCrd } from '../src/control/index.ts';
import type { WasmOperatorStatus } from '../src/runtime/index.ts';
import { HostFixture } from './support/host-fixture.ts';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;

interface Replica {
  identity: string;
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  statusUrl: Promise<string>;
  exited: Promise<number | null>;
}

function startReplica(identity: string, kubeconfig: string, stateDir: string): Replica {
  const child = spawn(process.execPath, [
    bin, 'run', '--kubeconfig', kubeconfig, '--state-dir', stateDir, '--identity', identity,
    '--leader-elect', '--leader-election-namespace', 'default', '--lease-duration', '4s', '--renew-deadline', '3s', '--retry-period', '300ms',
    '--status-refresh', '500ms', '--status-address', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'debug',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let resolveUrl!: (url: string) => void;
  const statusUrl = new Promise<string>((resolve) => (resolveUrl = resolve));
  let buffer = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (process.env.HOST_LOGS) process.stderr.write(`[${identity}] ${line}\n`);
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record.event === 'host.status') resolveUrl(record.url as string);
      } catch {
        // not a log line (a warning from Node): ignore
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { identity, child, lines, statusUrl, exited };
}

async function operatorsOf(replica: Replica): Promise<{ isLeader: boolean; operators: Array<{ name: string }> }> {
  const response = await fetch(`${await replica.statusUrl}/operators`);
  return (await response.json()) as { isLeader: boolean; operators: Array<{ name: string }> };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('wasm-operator run in cluster mode', () => {
  let fx: HostFixture;
  let kubeconfig: string;
  let replicas: Replica[] = [];

  before(async () => {
    fx = await HostFixture.start();
    kubeconfig = path.join(fx.directory, 'kubeconfig');
    const wasm = await exampleModule('configmap-replicator');
    await fx.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', wasmOperatorCrd());
    await fx.waitFor('/apis/wasm-operator.dev/v1alpha1', (_b, status) => status === 200);
    await fx.request('POST', '/api/v1/namespaces', { metadata: { name: 'ops' } });
    await fx.request('POST', '/api/v1/namespaces/ops/configmaps', { metadata: { name: 'replicator-module' }, binaryData: { 'module.wasm': Buffer.from(wasm).toString('base64') } });
    const created = await fx.request('POST', '/apis/wasm-operator.dev/v1alpha1/namespaces/ops/wasmoperators', {
      apiVersion: 'wasm-operator.dev/v1alpha1',
      kind: 'WasmOperator',
      metadata: { name: 'replicator' },
      spec: { module: { configMap: { name: 'replicator-module', key: 'module.wasm' } }, idlePolicy: 'immediate' },
    });
    assert.ok(created.ok, created.text);
  });
  after(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await fx.stop();
  });

  test('two replicas: only the leader runs operators; killing it hands them over, resumed from the shared state', async () => {
    const stateDir = path.join(fx.directory, 'shared-state');
    replicas = [startReplica('host-a', kubeconfig, stateDir), startReplica('host-b', kubeconfig, stateDir)];
    const leader = await eventually('one replica leads and runs the operator, and the other knows it', async () => {
      const views = await Promise.all(replicas.map(operatorsOf));
      const leading = views.flatMap((v, i) => (v.isLeader && v.operators.some((o) => o.name === 'ops/replicator') ? [replicas[i]!] : []));
      const other = views.find((v) => !v.isLeader) as { leader?: string } | undefined;
      return leading.length === 1 && other?.leader === leading[0]!.identity ? leading[0] : undefined;
    });
    const standby = replicas.find((r) => r !== leader)!;
    assert.deepEqual(await operatorsOf(standby), { operators: [], problems: [], leader: leader.identity, isLeader: false });
    const ready = await fx.waitFor<{ status?: WasmOperatorStatus }>('/apis/wasm-operator.dev/v1alpha1/namespaces/ops/wasmoperators/replicator', (w) =>
      w.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && (w.status?.snapshotBytes ?? 0) > 0 && w.status?.phase === 'Suspended');
    assert.equal(ready.status!.phase, 'Suspended');
    // A standby is ready too: it serves probes and waits.
    assert.equal((await fetch(`${await standby.statusUrl}/readyz`)).status, 200);
    assert.match(await (await fetch(`${await standby.statusUrl}/metrics`)).text(), /^wasm_operator_leader 0$/m);

    leader.child.kill('SIGKILL');
    await leader.exited;
    await eventually('the standby leads and runs the operator', async () => {
      const view = await operatorsOf(standby);
      return view.isLeader && view.operators.some((o) => o.name === 'ops/replicator') ? true : undefined;
    });
    const woke = await eventually('the operator wakes on the new leader', async () => standby.lines.find((l) => l.event === 'operator.woke' && l.operator === 'ops/replicator'));
    assert.equal(woke.from, 'snapshot', 'resumed from the snapshot the killed leader left, not started cold');
    const lease = await fx.request('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/wasm-operator-host');
    assert.equal((lease.body as { spec: { holderIdentity: string; leaseTransitions: number } }).spec.holderIdentity, standby.identity);

    // A graceful stop snapshots, then releases the Lease for the next replica.
    standby.child.kill('SIGTERM');
    assert.equal(await standby.exited, 0);
    const released = await fx.request('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/wasm-operator-host');
    assert.equal((released.body as { spec: { holderIdentity?: string } }).spec.holderIdentity ?? '', '');
  });

  test('cluster-only flags with -f are refused, naming them', () => {
    const result = spawnSync(process.execPath, [bin, 'run', '-f', 'operators.yaml', '--leader-elect', '--namespace', 'a'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--namespace, --leader-elect apply to cluster mode; run without -f to use them/);
  });

  test('leader election timings that cannot work are refused before anything starts', () => {
    const result = spawnSync(process.execPath, [bin, 'run', '--leader-elect', '--lease-duration', '2s', '--renew-deadline', '5s'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /leader election needs --retry-period < --renew-deadline < --lease-duration, got 2s, 5s, 2s/);
  });
});
