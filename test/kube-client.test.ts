/**
 * The host's kube client against the embedded API server: kubeconfig, TLS and token, CRUD,
 * patches, errors as the server words them, and discovery that notices new CRDs.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApiServer, type ApiServer } from '../src/apiserver/index.ts';
import { KindNotFoundError, KubeApiError, KubeClient, loadKubeConfig, patchContentTypes, RestMapper } from '../src/kube/index.ts';

async function clientFor(server: ApiServer): Promise<KubeClient> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'wo-kubeconfig-')), 'config');
  await server.writeKubeconfig(file);
  return new KubeClient(await loadKubeConfig({ explicitPath: file, env: {} }));
}

const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gadgets', kind: 'Gadget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

describe('kube client against the embedded API server over TLS with a token', () => {
  let server: ApiServer;
  let client: KubeClient;
  before(async () => {
    server = await startApiServer({ port: 0, tls: true, token: 'let-me-in' });
    client = await clientFor(server);
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test('the kubeconfig the server writes is read into a TLS config with its CA and token', () => {
    assert.match(client.config.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(client.config.auth, { type: 'token', token: 'let-me-in' });
    assert.equal(client.config.tls.ca, server.caCertPem);
    assert.equal(client.config.namespace, 'default');
  });

  test('create, get, every patch type, and delete', async () => {
    const cms = '/api/v1/namespaces/default/configmaps';
    const created = await client.call<{ metadata: { uid: string } }>({ method: 'POST', path: cms, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: '1' } } });
    assert.ok(created.metadata.uid);
    const patched = async (contentType: string, body: unknown, query = {}) =>
      (await client.call<{ data: Record<string, string> }>({ method: 'PATCH', path: `${cms}/web`, contentType, body, query })).data;
    assert.deepEqual(await patched(patchContentTypes.merge, { data: { b: '2' } }), { a: '1', b: '2' });
    assert.deepEqual(await patched(patchContentTypes.json, [{ op: 'remove', path: '/data/a' }]), { b: '2' });
    assert.deepEqual(await patched(patchContentTypes.strategic, { data: { c: '3' } }), { b: '2', c: '3' });
    const applied = await patched(patchContentTypes.apply, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { d: '4' } }, { fieldManager: 'test', force: true });
    assert.equal(applied.d, '4');
    assert.equal((await client.request({ method: 'DELETE', path: `${cms}/web` })).status, 200);
    const missing = await client.call({ method: 'GET', path: `${cms}/web` }).catch((e: unknown) => e);
    assert.ok(missing instanceof KubeApiError);
    assert.deepEqual([missing.status, missing.reason, missing.details?.name, missing.details?.kind], [404, 'NotFound', 'web', 'configmaps']);
  });

  test('a conflicting create answers 409 AlreadyExists as data, and as an error through call()', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twice' } };
    await client.call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body });
    const raw = await client.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body });
    assert.deepEqual([raw.status, (raw.body as { reason: string }).reason], [409, 'AlreadyExists']);
    await assert.rejects(client.call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body }), (err: unknown) => err instanceof KubeApiError && err.reason === 'AlreadyExists');
  });

  test('a wrong token is a 401 Unauthorized, not a retry loop', async () => {
    const stranger = new KubeClient({ ...client.config, auth: { type: 'token', token: 'wrong' } });
    try {
      await assert.rejects(stranger.call({ method: 'GET', path: '/api/v1/namespaces' }), (err: unknown) => err instanceof KubeApiError && err.status === 401);
      assert.equal(stranger.stats().requests, 1);
    } finally {
      stranger.close();
    }
  });

  test('discovery maps kinds to resources and scope, and notices a CRD created after a miss', async () => {
    const mapper = new RestMapper(client, { refreshIntervalMs: 0 });
    const cm = await mapper.resolve('v1', 'ConfigMap');
    assert.deepEqual([cm.group, cm.version, cm.resource, cm.kind, cm.namespaced], ['', 'v1', 'configmaps', 'ConfigMap', true]);
    assert.ok(cm.verbs.includes('watch'));
    assert.equal((await mapper.resolve('v1', 'Namespace')).namespaced, false);
    assert.equal((await mapper.resolve('apps/v1', 'Deployment')).resource, 'deployments');
    assert.equal(mapper.lookup('apps/v1', 'Deployment')?.namespaced, true);
    await assert.rejects(mapper.resolve('example.com/v1', 'Gadget'), KindNotFoundError);
    await client.call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: gadgetCrd });
    await server.settled();
    const gadget = await mapper.resolve('example.com/v1', 'Gadget');
    assert.deepEqual([gadget.group, gadget.resource, gadget.namespaced], ['example.com', 'gadgets', true]);
  });

  test('discovery asks again at most once per refresh interval for a kind that does not exist', async () => {
    const mapper = new RestMapper(client, { refreshIntervalMs: 60_000 });
    const before = client.stats().requests;
    for (let i = 0; i < 5; i++) await assert.rejects(mapper.resolve('v1', 'NoSuchKind'), /no kind "NoSuchKind" in "v1"/);
    assert.equal(client.stats().requests - before, 1);
  });
});
