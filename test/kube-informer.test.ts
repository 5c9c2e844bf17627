/**
 * Shared informers against the embedded API server: paginated lists, watch events, label
 * scopes shared by one watch, bookmarks, relisting after compaction, surviving a restart of
 * a durable server, and CRDs coming and going. A TCP relay between the informer and the
 * server plays the network: it can be cut, and pointed at a restarted server.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApiServer, type ApiServer } from '../src/apiserver/index.ts';
import { InformerRegistry, KubeClient, RestMapper, type ApiResource, type InformerEvent, type InformerRegistryOptions, type KubeLogger } from '../src/kube/index.ts';
import { startForbiddingProxy } from './support/forbidding-proxy.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const configMaps: ApiResource = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: [] };

function clientAt(url: string): KubeClient {
  return new KubeClient({ server: url, source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { retry: { maxRetries: 0 } });
}

function recorder() {
  const logs: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const logger: KubeLogger = { log: (level, event, fields) => logs.push({ level, event, fields: { ...fields } }) };
  const events: string[] = [];
  const record = (e: InformerEvent) => events.push(e.type === 'relisted' ? 'relisted' : `${e.type} ${e.object.metadata?.name}`);
  return { logs, logger, events, record };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function namespace(client: KubeClient, name: string): Promise<void> {
  await client.call({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
}

function cmApi(client: KubeClient, ns: string) {
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  return {
    create: (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) =>
      client.call<{ metadata: { resourceVersion: string } }>({ method: 'POST', path: base, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data } }),
    patch: (name: string, patch: unknown) => client.call({ method: 'PATCH', path: `${base}/${name}`, contentType: 'application/merge-patch+json', body: patch }),
    delete: (name: string) => client.call({ method: 'DELETE', path: `${base}/${name}` }),
  };
}

const fast = { backoff: () => 50, minHealthyWatchMs: 0 };

/** Runs `body` with a registry on its own client, and stops both however it ends. */
async function withRegistry(url: string, options: InformerRegistryOptions, body: (registry: InformerRegistry) => Promise<void>): Promise<void> {
  const client = clientAt(url);
  const registry = new InformerRegistry(client, options);
  try {
    await body(registry);
  } finally {
    await registry.stop();
    client.close();
  }
}

describe('informers on a live embedded API server', () => {
  let server: ApiServer;
  let direct: KubeClient;
  before(async () => {
    server = await startApiServer({ port: 0, bookmarkIntervalMs: 200 });
    direct = clientAt(server.url);
  });
  after(async () => {
    direct.close();
    await server.close();
  });

  test('an informer lists in pages, caches objects as a GET shows them (without managedFields), then follows every change', async () => {
    await namespace(direct, 'paged');
    const cms = cmApi(direct, 'paged');
    for (let i = 0; i < 7; i++) {
      await direct.call({
        method: 'PATCH', path: `/api/v1/namespaces/paged/configmaps/cm-${i}`, query: { fieldManager: 'seed' },
        contentType: 'application/apply-patch+yaml', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } },
      });
    }
    const { logger, logs, events, record } = recorder();
    await withRegistry(server.url, { logger, reflector: { pageSize: 3, ...fast } }, async (registry) => {
      const { informer } = registry.subscribe({ resource: configMaps, namespace: 'paged' }, record);
      await informer.synced();
      assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
      assert.equal(logs.find((l) => l.event === 'informer.listed')?.fields.pages, 3);
      const cached = informer.get({ namespace: 'paged', name: 'cm-3' })!;
      const fetched = await direct.call<Record<string, { managedFields?: unknown }>>({ method: 'GET', path: '/api/v1/namespaces/paged/configmaps/cm-3' });
      assert.ok(fetched.metadata?.managedFields, 'the server keeps managedFields');
      const { managedFields: _m, ...metadataWithout } = fetched.metadata!;
      assert.deepEqual(cached, { ...fetched, metadata: metadataWithout });

      await eventually(() => informer.health().state.phase === 'watching', 'the watch to open');
      await cms.create('late', { v: '1' });
      await cms.patch('late', { data: { v: '2' } });
      await cms.delete('late');
      await eventually(() => events.length === 10, 'three watch events');
      assert.deepEqual(events.slice(7), ['added late', 'updated late', 'deleted late']);
      assert.equal(informer.get({ namespace: 'paged', name: 'late' }), undefined);
      assert.deepEqual(informer.health().counters, { lists: 1, watches: 1, events: 3, errors: 0, relists: 0 });
    });
  });

  test('subscriptions to the same scope share one list and one watch, which stops with the last subscriber', async () => {
    await namespace(direct, 'shared');
    const cms = cmApi(direct, 'shared');
    await cms.create('web', {}, { app: 'web', tier: 'fe' });
    await cms.create('db', {}, { app: 'db', tier: 'be' });
    await withRegistry(server.url, { reflector: fast }, async (registry) => {
      const first = recorder();
      const second = recorder();
      const a = registry.subscribe({ resource: configMaps, namespace: 'shared', labelSelector: 'app=web,tier=fe' }, first.record);
      const b = registry.subscribe({ resource: configMaps, namespace: 'shared', labelSelector: 'tier = fe, app == web' }, second.record);
      assert.equal(a.informer, b.informer);
      assert.equal(registry.size, 1);
      await a.informer.synced();
      await eventually(() => a.informer.health().state.phase === 'watching', 'the watch to open');
      await cms.create('web-2', {}, { app: 'web', tier: 'fe' });
      await eventually(() => second.events.length === 2, 'the second subscriber to see web-2');
      assert.deepEqual(first.events, ['added web', 'added web-2']);
      assert.deepEqual(second.events, first.events);
      const health = registry.health();
      // Folded: the namespaced scope is served by the informer of all namespaces for these labels.
      assert.deepEqual(health.map((h) => [h.key, h.subscribers, h.counters.lists, h.counters.watches]), [['v1/configmaps labels=app=web,tier=fe', 2, 1, 1]]);

      a.unsubscribe();
      a.unsubscribe();
      assert.equal(registry.size, 1);
      b.unsubscribe();
      assert.equal(registry.size, 0);
      await eventually(() => b.informer.health().state.phase === 'stopped', 'the informer to stop');
      const c = registry.subscribe({ resource: configMaps, namespace: 'shared', labelSelector: 'app=web,tier=fe' }, () => {});
      assert.notEqual(c.informer, a.informer, 'a later subscription starts a fresh informer');
      c.unsubscribe();
    });
  });

  test('an object that stops matching the label selector leaves the cache', async () => {
    await namespace(direct, 'relabel');
    const cms = cmApi(direct, 'relabel');
    await cms.create('x', {}, { app: 'web' });
    await withRegistry(server.url, { reflector: fast }, async (registry) => {
      const { events, record } = recorder();
      const { informer } = registry.subscribe({ resource: configMaps, namespace: 'relabel', labelSelector: 'app=web' }, record);
      await informer.synced();
      await eventually(() => informer.health().state.phase === 'watching', 'the watch to open');
      await cms.patch('x', { metadata: { labels: { app: 'db' } } });
      await eventually(() => informer.size === 0, 'x to leave the cache');
      assert.deepEqual(events, ['added x', 'deleted x']);
    });
  });

  test('bookmarks move an idle informer\'s resourceVersion forward', async () => {
    await namespace(direct, 'quiet');
    // Unfolded, so that the informer watches only the quiet namespace.
    await withRegistry(server.url, { reflector: fast, foldNamespaces: false }, async (registry) => {
      const { informer } = registry.subscribe({ resource: configMaps, namespace: 'quiet' }, () => {});
      await informer.synced();
      const listed = Number(informer.health().resourceVersion);
      await cmApi(direct, 'default').create('elsewhere');
      await eventually(() => Number(informer.health().resourceVersion) > listed, 'a bookmark past the list\'s resourceVersion');
      assert.equal(informer.health().counters.events, 0);
    });
  });

  test('namespaced subscriptions share one informer of all namespaces; each sees and reads its own namespace only', async () => {
    for (const ns of ['fold-a', 'fold-b', 'fold-c']) await namespace(direct, ns);
    await cmApi(direct, 'fold-a').create('a1');
    await cmApi(direct, 'fold-b').create('b1');
    await withRegistry(server.url, { reflector: fast }, async (registry) => {
      const a = recorder();
      const b = recorder();
      const subA = registry.subscribe({ resource: configMaps, namespace: 'fold-a' }, a.record);
      const subB = registry.subscribe({ resource: configMaps, namespace: 'fold-b' }, b.record);
      await Promise.all([subA.informer.synced(), subB.informer.synced()]);
      await eventually(() => subA.informer.health().state.phase === 'watching', 'the watch to open');
      assert.deepEqual(registry.health().map((h) => [h.key, h.subscribers, h.counters.lists, h.counters.watches]), [['v1/configmaps', 2, 1, 1]]);
      await cmApi(direct, 'fold-b').create('b2');
      await cmApi(direct, 'fold-c').create('c1');
      await cmApi(direct, 'fold-a').create('a2');
      await eventually(() => a.events.length === 2 && b.events.length === 2, 'each namespace\'s new object');
      assert.deepEqual(a.events, ['added a1', 'added a2']);
      assert.deepEqual(b.events, ['added b1', 'added b2']);
      assert.deepEqual(subA.informer.list().map((o) => o.metadata?.name), ['a1', 'a2']);
      assert.deepEqual(subA.informer.list({ namespace: 'fold-b' }), []);
      assert.equal(subA.informer.get({ namespace: 'fold-b', name: 'b1' }), undefined);
      assert.equal(subB.informer.get({ namespace: 'fold-b', name: 'b1' })?.metadata?.name, 'b1');
      assert.equal(subB.informer.size, 2);
    });
  });

  test('a CRD\'s objects can be informed on once discovery sees it; deleting the CRD shows in the informer\'s health', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.informer.test' },
      spec: {
        group: 'informer.test', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    await direct.call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: crd });
    await server.settled();
    await withRegistry(server.url, { reflector: fast }, async (registry) => {
      const widgets = await new RestMapper(direct).resolve('informer.test/v1', 'Widget');
      const { events, record } = recorder();
      const { informer } = registry.subscribe({ resource: widgets }, record);
      await informer.synced();
      await eventually(() => informer.health().state.phase === 'watching', 'the watch to open');
      await direct.call({ method: 'POST', path: '/apis/informer.test/v1/namespaces/default/widgets', body: { apiVersion: 'informer.test/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } } });
      await eventually(() => events.includes('added w1'), 'the widget to arrive');
      assert.equal(informer.get({ namespace: 'default', name: 'w1' })?.kind, 'Widget');
      await direct.call({ method: 'DELETE', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.informer.test' });
      await eventually(() => events.includes('deleted w1'), 'objects deleted with their CRD to be reported deleted');
      await eventually(() => {
        const state = informer.health().state;
        return state.phase === 'backingOff' && state.next === 'list' && state.lastError.status === 404;
      }, 'the informer to report the resource gone');
      assert.equal(informer.size, 0);
    });
  });
});

describe('informers through a network that fails', () => {
  let dataDir: string;
  let proxy: TcpProxy;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wo-informer-data-'));
  });
  after(async () => {
    await proxy?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('when listing all namespaces is forbidden, folded subscriptions fall back to an informer per namespace', async () => {
    const server = await startApiServer({ port: 0 });
    const direct = clientAt(server.url);
    // RBAC that grants namespaces one by one: the list of every namespace's ConfigMaps is refused.
    const gate = await startForbiddingProxy(server.url, (url) => url.pathname === '/api/v1/configmaps');
    const client = clientAt(gate.url);
    const { logger, logs } = recorder();
    const registry = new InformerRegistry(client, { logger, reflector: fast });
    try {
      for (const ns of ['rbac-a', 'rbac-b', 'rbac-c']) await namespace(direct, ns);
      await cmApi(direct, 'rbac-a').create('a1');
      await cmApi(direct, 'rbac-b').create('b1');
      const a = recorder();
      const b = recorder();
      const subA = registry.subscribe({ resource: configMaps, namespace: 'rbac-a' }, a.record);
      const subB = registry.subscribe({ resource: configMaps, namespace: 'rbac-b' }, b.record);
      await Promise.all([subA.informer.synced(), subB.informer.synced()]);
      assert.ok(logs.some((l) => l.event === 'informer.unfolded' && l.fields.namespaces === 2));
      assert.deepEqual(registry.health().map((h) => h.key).sort(), ['v1/configmaps ns=rbac-a', 'v1/configmaps ns=rbac-b']);
      const late = registry.subscribe({ resource: configMaps, namespace: 'rbac-c' }, () => {});
      await late.informer.synced();
      assert.equal(late.informer.health().key, 'v1/configmaps ns=rbac-c', 'a key found forbidden is not folded again');
      await eventually(() => subA.informer.health().state.phase === 'watching', 'the watch to open');
      await cmApi(direct, 'rbac-a').create('a2');
      await eventually(() => a.events.length === 2, 'a2 to arrive');
      assert.deepEqual(a.events, ['added a1', 'added a2']);
      assert.deepEqual(b.events, ['added b1']);
      assert.deepEqual(subA.informer.list().map((o) => o.metadata?.name), ['a1', 'a2']);
      late.unsubscribe();
    } finally {
      await registry.stop();
      client.close();
      direct.close();
      await gate.close();
      await server.close();
    }
  });

  test('cut off while objects change and history is compacted, an informer relists and reports exactly the difference', async () => {
    const server = await startApiServer({ port: 0 });
    proxy = await startTcpProxy(Number(new URL(server.url).port));
    const direct = clientAt(server.url);
    const client = clientAt(`http://127.0.0.1:${proxy.port}`);
    const { logger, logs, events, record } = recorder();
    const registry = new InformerRegistry(client, { logger, reflector: fast });
    try {
      const cms = cmApi(direct, 'default');
      await cms.create('keep');
      await cms.create('change', { v: '1' });
      await cms.create('remove');
      const { informer } = registry.subscribe({ resource: configMaps, namespace: 'default' }, record);
      await informer.synced();
      await eventually(() => informer.health().state.phase === 'watching', 'the watch to open');

      proxy.cut();
      await eventually(() => informer.health().state.phase === 'backingOff', 'the informer to notice the cut');
      await cms.patch('change', { data: { v: '2' } });
      await cms.delete('remove');
      await cms.create('new');
      server.compact();
      proxy.resume();

      await eventually(() => events.includes('relisted'), 'a relist');
      assert.deepEqual(events.slice(3), ['updated change', 'added new', 'deleted remove', 'relisted']);
      assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['change', 'keep', 'new']);
      assert.ok(logs.some((l) => l.event === 'informer.relist' && l.fields.reason === 'Expired'));
      assert.ok(logs.some((l) => l.event === 'informer.backoff'));
      assert.equal(informer.health().counters.relists, 1);
    } finally {
      await registry.stop();
      client.close();
      direct.close();
      await server.close();
      await proxy.close();
    }
  });

  test('an informer survives a restart of a durable server: it backs off visibly, then resumes the watch without relisting', async () => {
    const first = await startApiServer({ port: 0, dataDir });
    proxy = await startTcpProxy(Number(new URL(first.url).port));
    const client = clientAt(`http://127.0.0.1:${proxy.port}`);
    const { logger, logs, events, record } = recorder();
    const registry = new InformerRegistry(client, { logger, reflector: fast });
    let second: ApiServer | undefined;
    try {
      const seed = clientAt(first.url);
      await cmApi(seed, 'default').create('before');
      seed.close();
      const { informer } = registry.subscribe({ resource: configMaps, namespace: 'default' }, record);
      await informer.synced();
      await eventually(() => informer.health().state.phase === 'watching', 'the watch to open');

      await first.close();
      await eventually(() => {
        const state = informer.health().state;
        return state.phase === 'backingOff' && state.attempt >= 2;
      }, 'repeated, visible reconnect attempts');
      assert.equal(informer.get({ namespace: 'default', name: 'before' })?.metadata?.name, 'before', 'the cache outlives the outage');

      second = await startApiServer({ port: 0, dataDir });
      proxy.retarget(Number(new URL(second.url).port));
      const direct = clientAt(second.url);
      await cmApi(direct, 'default').create('after');
      await cmApi(direct, 'default').patch('before', { data: { touched: 'yes' } });
      direct.close();

      await eventually(() => events.includes('updated before'), 'the changes made after the restart');
      assert.deepEqual(events, ['added before', 'added after', 'updated before']);
      assert.equal(informer.health().counters.lists, 1, 'resumed from its resourceVersion: no relist');
      assert.equal(informer.health().state.phase, 'watching');
      const backoffs = logs.filter((l) => l.event === 'informer.backoff');
      assert.ok(backoffs.length >= 2 && backoffs.every((l) => l.fields.next === 'watch'));
    } finally {
      await registry.stop();
      client.close();
      await second?.close();
      await proxy.close();
    }
  });
});
