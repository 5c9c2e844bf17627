/**
 * Leader election against the embedded API server: candidates compete for one Lease, exactly
 * one leads, a released lease passes at once, and an abandoned one (a crashed leader) passes
 * once it has expired.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApiServer, type ApiServer } from '../src/apiserver/index.ts';
import { KubeClient, LeaderElector, type LeaseSpec } from '../src/kube/index.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

let server: ApiServer;
let kube: KubeClient;

before(async () => {
  server = await startApiServer({ port: 0 });
  kube = clientAt(server.url);
});

function clientAt(url: string): KubeClient {
  return new KubeClient({ server: url, source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { retry: { maxRetries: 0 } });
}
after(async () => {
  kube.close();
  await server.close();
});

const timing = { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200 };

function candidate(lease: string, identity: string, client = kube) {
  const elector = new LeaderElector(client, { namespace: 'default', name: lease, identity, ...timing });
  const log: string[] = [];
  elector.start({ onStartedLeading: () => log.push('started'), onStoppedLeading: () => log.push('stopped') });
  return { elector, log };
}

async function eventually(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function leaseSpec(name: string): Promise<LeaseSpec> {
  return (await kube.call<{ spec: LeaseSpec }>({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}` })).spec;
}

test('of three candidates exactly one leads, and the Lease names it', async () => {
  const all = ['a', 'b', 'c'].map((id) => candidate('three', id));
  await eventually('one leads', () => all.some((c) => c.elector.isLeader));
  // Several renewal rounds later, still exactly one.
  await new Promise((r) => setTimeout(r, 800));
  const leaders = all.filter((c) => c.elector.isLeader);
  assert.equal(leaders.length, 1);
  const spec = await leaseSpec('three');
  assert.equal(spec.holderIdentity, leaders[0]!.elector.identity);
  assert.equal(spec.leaseDurationSeconds, 2);
  assert.match(spec.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  for (const c of all) assert.equal(c.elector.leader, leaders[0]!.elector.identity);
  await Promise.all(all.map((c) => c.elector.stop().then(() => c.elector.release())));
});

test('a leader that stops and releases the lease hands over at the next attempt', async () => {
  const first = candidate('release', 'first');
  await eventually('first leads', () => first.elector.isLeader);
  const second = candidate('release', 'second');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(second.elector.isLeader, false);
  await first.elector.stop();
  await first.elector.release();
  assert.deepEqual(first.log, ['started', 'stopped']);
  await eventually('second leads', () => second.elector.isLeader, 1_000);
  const spec = await leaseSpec('release');
  assert.equal(spec.holderIdentity, 'second');
  assert.equal(spec.leaseTransitions, 1);
  await second.elector.stop();
  await second.elector.release();
});

test('a leader that vanishes without releasing is replaced once its lease expires', async () => {
  const crashed = candidate('crash', 'crashed');
  await eventually('it leads', () => crashed.elector.isLeader);
  // Stopping without release is what a killed process leaves behind: a lease nobody renews.
  await crashed.elector.stop();
  const heir = candidate('crash', 'heir');
  await eventually('the heir leads', () => heir.elector.isLeader);
  assert.equal((await leaseSpec('crash')).holderIdentity, 'heir');
  await heir.elector.stop();
  await heir.elector.release();
});

test('a leader cut off from the API server steps down within its renew deadline, and another takes over', async () => {
  const proxy = await startTcpProxy(Number(new URL(server.url).port));
  const isolatedClient = clientAt(`http://127.0.0.1:${proxy.port}`);
  const isolated = candidate('partition', 'isolated', isolatedClient);
  await eventually('it leads', () => isolated.elector.isLeader);
  const other = candidate('partition', 'other');
  proxy.cut();
  await eventually('the cut-off leader steps down', () => isolated.log.includes('stopped'));
  await eventually('the other leads', () => other.elector.isLeader);
  assert.equal(isolated.elector.isLeader, false);
  await isolated.elector.stop();
  await other.elector.stop();
  await other.elector.release();
  isolatedClient.close();
  await proxy.close();
});

test('timings that cannot work are refused', () => {
  assert.throws(() => new LeaderElector(kube, { namespace: 'default', name: 'x', identity: 'a', leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), /retry period < renew deadline < lease duration/);
});
