/**
 * @kubernetes/client-node (a test-only dependency; the host never loads it) against the
 * embedded API server: typed CRUD, an informer, and its recovery from 410 Gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { KubeHttp } from './support/kube-http.ts';

function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('@kubernetes/client-node against the embedded API server', () => {
  let kube: KubeHttp;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  before(async () => {
    // Watches end after 1-2 s, so informers reconnect (and meet 410s) within a test.
    kube = await KubeHttp.start({ minRequestTimeoutSeconds: 1 });
    kc = new k8s.KubeConfig();
    kc.loadFromString(stringify(kube.server.kubeconfig));
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(() => kube.close());

  test('create, read, replace, list and delete a ConfigMap', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'crud' }, data: { a: '1' } } });
    assert.equal(created.metadata?.name, 'crud');
    const read = await core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    assert.deepEqual(read.data, { a: '1' });
    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'crud', namespace: 'default', body: read });
    assert.equal(replaced.data?.a, '2');
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    assert.ok(list.items.some((i) => i.metadata?.name === 'crud'));
    await core.deleteNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' }), (err: { code?: number }) => err.code === 404);
  });

  test('a stale replace is rejected with 409', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'stale' } } });
    await core.replaceNamespacedConfigMap({ name: 'stale', namespace: 'default', body: { ...created, data: { x: '1' } } });
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'stale', namespace: 'default', body: { ...created, data: { x: '2' } } }), (err: { code?: number }) => err.code === 409);
  });

  test('an informer sees adds, updates and deletes, and relists after 410 Gone', async () => {
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    let lists = 0;
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/informed/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'informed' });
    });
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    informer.on('error', () => undefined); // reconnects are expected here
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'one' }, data: { v: '1' } } });
      await until(() => seen.includes('add one'), 'add');
      await core.replaceNamespacedConfigMap({ name: 'one', namespace: 'informed', body: { metadata: { name: 'one' }, data: { v: '2' } } });
      await until(() => seen.includes('update one 2'), 'update');
      await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'informed' });
      await until(() => seen.includes('delete one'), 'delete');

      // Move the server past the informer's resourceVersion and forget the history: its next
      // watch (after the server ends the current one) gets 410 Expired and must relist.
      await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'elsewhere' } } });
      kube.server.compact();
      await until(() => lists >= 2, 'a relist after 410');
      await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'two' } } });
      await until(() => seen.includes('add two'), 'an add after the relist');
      assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['two']);
    } finally {
      await informer.stop();
    }
  });

  test('a watch from a compacted resourceVersion reports 410 through the Watch API', async () => {
    const old = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'old' } } });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'newer' } } });
    kube.server.compact();
    const watch = new k8s.Watch(kc);
    const errors: { code?: number; reason?: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: old.metadata?.resourceVersion }, (type, obj: { code?: number; reason?: string }) => {
        if (type === 'ERROR') errors.push(obj);
      }, (err) => (err ? reject(err as Error) : resolve())).catch(reject);
    });
    assert.deepEqual(errors.map((e) => [e.code, e.reason]), [[410, 'Expired']]);
  });
});
