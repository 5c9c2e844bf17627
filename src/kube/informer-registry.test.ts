import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiResource } from './api-resource.ts';
import { LabelSelectorError } from './errors.ts';
import { InformerRegistry, informerKey } from './informer-registry.ts';
import { KubeClient } from './rest-client.ts';

const deployments: ApiResource = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: [] };
const namespaces: ApiResource = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, verbs: [] };

test('scopes that mean the same thing have the same key', () => {
  assert.equal(informerKey({ resource: deployments, namespace: 'shop', labelSelector: 'tier in (b,a), app=web' }), 'apps/v1/deployments ns=shop labels=app=web,tier in (a,b)');
  assert.equal(informerKey({ resource: deployments, labelSelector: 'app==web' }), informerKey({ resource: deployments, labelSelector: ' app = web ' }));
  assert.equal(informerKey({ resource: deployments, fieldSelector: 'status.phase=Running, metadata.name=x' }), 'apps/v1/deployments fields=metadata.name=x,status.phase=Running');
  assert.equal(informerKey({ resource: namespaces, namespace: 'ignored' }), 'v1/namespaces');
  assert.throws(() => informerKey({ resource: deployments, labelSelector: 'app in (' }), LabelSelectorError);
});

// No API server here: informers just back off. What is tested is the reference counting.
function unreachableClient(): KubeClient {
  return new KubeClient({ server: 'http://127.0.0.1:9', source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { retry: { maxRetries: 0 } });
}

test('one informer per key, stopped by the last release; releasing twice counts once', async () => {
  const client = unreachableClient();
  const registry = new InformerRegistry(client, { foldNamespaces: false });
  const a = registry.subscribe({ resource: deployments, namespace: 'shop' }, () => {});
  const b = registry.subscribe({ resource: deployments, namespace: 'shop' }, () => {});
  const other = registry.subscribe({ resource: deployments, namespace: 'other' }, () => {});
  assert.equal(a.informer, b.informer);
  assert.equal(registry.size, 2);
  a.unsubscribe();
  a.unsubscribe();
  assert.equal(registry.get({ resource: deployments, namespace: 'shop' })?.key, 'apps/v1/deployments ns=shop');
  b.unsubscribe();
  assert.equal(registry.get({ resource: deployments, namespace: 'shop' }), undefined);
  assert.deepEqual(registry.health().map((h) => h.key), ['apps/v1/deployments ns=other']);
  other.unsubscribe();
  await registry.stop();
  client.close();
});

test('namespaced scopes fold into one informer of all namespaces, stopped when the last namespace leaves', async () => {
  const client = unreachableClient();
  const registry = new InformerRegistry(client);
  const shop = registry.subscribe({ resource: deployments, namespace: 'shop' }, () => {});
  const other = registry.subscribe({ resource: deployments, namespace: 'other', labelSelector: 'app=web' }, () => {});
  const wide = registry.subscribe({ resource: deployments, namespace: 'other' }, () => {});
  const cluster = registry.subscribe({ resource: namespaces, namespace: 'shop' }, () => {});
  assert.deepEqual(registry.health().map((h) => h.key).sort(), ['apps/v1/deployments', 'apps/v1/deployments labels=app=web', 'v1/namespaces']);
  assert.equal(shop.informer.key, 'apps/v1/deployments ns=shop');
  assert.equal(shop.informer.health().key, 'apps/v1/deployments');
  assert.equal(registry.get({ resource: deployments, namespace: 'other' }), registry.get({ resource: deployments, namespace: 'shop' }));
  shop.unsubscribe();
  assert.equal(registry.size, 3);
  wide.unsubscribe();
  other.unsubscribe();
  cluster.unsubscribe();
  assert.equal(registry.size, 0);
  await registry.stop();
  client.close();
});

test('a subscription released after stop() leaves a newer informer for the same key running', async () => {
  const client = unreachableClient();
  const registry = new InformerRegistry(client);
  const old = registry.subscribe({ resource: deployments }, () => {});
  await registry.stop();
  await assert.rejects(old.informer.synced(), /stopped before its first list/);
  const fresh = registry.subscribe({ resource: deployments }, () => {});
  old.unsubscribe();
  assert.equal(registry.get({ resource: deployments })?.hasSynced, false);
  assert.equal(registry.size, 1);
  fresh.unsubscribe();
  await registry.stop();
  client.close();
});
