/**
 * configmap-replicator end to end: a labelled ConfigMap is copied into every namespace, new
 * ones included; copies are repaired, and removed with their source.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';

const cm = (ns: string, name = 'shared') => `/api/v1/namespaces/${ns}/configmaps/${name}`;
interface ConfigMap { metadata: { labels?: Record<string, string> }; data?: Record<string, string> }

let fx: HostFixture;
before(async () => {
  const { wasm } = await buildOperator(fileURLToPath(new URL('./assembly/index.ts', import.meta.url)));
  fx = await HostFixture.start();
  for (const ns of ['base', 'team-a', 'team-b']) await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
  await fx.run('replicator', wasm, { idlePolicy: 'immediate' });
});
after(async () => fx.stop());

test('a labelled ConfigMap is copied into every other namespace, and into new ones', async () => {
  const source = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', labels: { 'replicator.wasm-operator.dev/replicate': 'true' } }, data: { motd: 'hello' } };
  const created = await fx.request('POST', '/api/v1/namespaces/base/configmaps', source);
  assert.equal(created.status, 201, created.text);
  for (const ns of ['team-a', 'team-b', 'default']) {
    const copy = await fx.waitFor<ConfigMap>(cm(ns), (c, status) => status === 200 && c.data?.motd === 'hello');
    assert.equal(copy.metadata.labels?.['replicator.wasm-operator.dev/source-namespace'], 'base');
  }
  assert.equal((await fx.request('GET', cm('kube-system'))).status, 404, 'excluded namespaces get no copy');

  await fx.apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-c\n');
  await fx.waitFor<ConfigMap>(cm('team-c'), (c, status) => status === 200 && c.data?.motd === 'hello');
});

test('an edited copy is put back; changing the source changes every copy', async () => {
  const edited = await fx.request('PATCH', cm('team-a'), { data: { motd: 'tampered' } }, 'application/merge-patch+json');
  assert.equal(edited.status, 200, edited.text);
  await fx.waitFor<ConfigMap>(cm('team-a'), (c) => c.data?.motd === 'hello');

  const changed = await fx.request('PATCH', cm('base'), { data: { motd: 'hello again' } }, 'application/merge-patch+json');
  assert.equal(changed.status, 200, changed.text);
  for (const ns of ['team-a', 'team-b', 'team-c']) await fx.waitFor<ConfigMap>(cm(ns), (c) => c.data?.motd === 'hello again');
});

test('when the source loses its label, its copies go', async () => {
  const unlabelled = await fx.request('PATCH', cm('base'), { metadata: { labels: { 'replicator.wasm-operator.dev/replicate': null } } }, 'application/merge-patch+json');
  assert.equal(unlabelled.status, 200, unlabelled.text);
  for (const ns of ['team-a', 'team-b', 'team-c', 'default']) await fx.waitFor(cm(ns), (_, status) => status === 404);
  assert.equal((await fx.request('GET', cm('base'))).status, 200, 'the source itself stays');
  const op = fx.host!.operators().find((r) => r.name === 'default/replicator');
  assert.equal(op?.failures, 0, op?.lastError ?? '');
});
