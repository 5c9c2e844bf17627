// The TypeScript webapp operator, built by `wasm-operator build --lang js` and driven through
// the ABI with the objects the host's cache would hold.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOperator, MANIFEST_SECTION } from '../../../src/build/index.ts';
import { startOperator } from '../../../sdk/test/abi-harness.ts';

const toolsCacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));
const entry = fileURLToPath(new URL('./operator.ts', import.meta.url));
const request = { apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' };
const webApp = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'example.com/v1', kind: 'WebApp',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 2, resourceVersion: '5', finalizers: ['example.com/webapp-cleanup'] },
  spec: { replicas: 2 },
  ...extra,
});

let wasm: Uint8Array;

before(async () => {
  const built = await buildOperator(entry, { lang: 'js', cacheDir: null, toolsCacheDir });
  wasm = built.wasm;
  assert.equal(built.manifest?.watches?.[0]?.kind, 'WebApp');
  assert.equal(WebAssembly.Module.customSections(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), MANIFEST_SECTION).length, 1);
});

test('a new WebApp gets an owned Deployment and Service, and a status that says it is not ready yet', async () => {
  const guest = await startOperator(wasm, { objects: [webApp()], kube: (call) => ({ status: 201, body: call.body }) }, { defaultImage: 'nginx:1.27' });
  assert.deepEqual(await guest.reconcile(request), { kind: 'done' });
  assert.deepEqual(guest.requests.map((c) => `${c.method} ${c.path}`), [
    'POST /apis/apps/v1/namespaces/shop/deployments',
    'POST /api/v1/namespaces/shop/services',
    'PATCH /apis/example.com/v1/namespaces/shop/webapps/web/status',
  ]);
  const deployment = guest.requests[0]?.body as { metadata: { ownerReferences: { uid: string; controller: boolean }[] }; spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
  assert.deepEqual(deployment.metadata.ownerReferences.map((r) => [r.uid, r.controller]), [['uid-web', true]]);
  assert.equal(deployment.spec.replicas, 2);
  assert.equal(deployment.spec.template.spec.containers[0]?.image, 'nginx:1.27');
  const status = (guest.requests[2]?.body as { status: { readyReplicas: number; observedGeneration: number; conditions: { status: string; reason: string }[] } }).status;
  assert.equal(status.observedGeneration, 2);
  assert.deepEqual(status.conditions.map((c) => [c.status, c.reason]), [['False', 'ReplicasNotReady']]);
});

test('a WebApp without the finalizer gets it first; one being deleted is cleaned up and let go', async () => {
  const fresh = webApp({ metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 1, resourceVersion: '1' } });
  const adding = await startOperator(wasm, { objects: [fresh], kube: (call) => ({ status: 200, body: call.body }) });
  await adding.reconcile(request);
  assert.equal(adding.requests[0]?.method, 'PUT');
  assert.deepEqual((adding.requests[0]?.body as { metadata: { finalizers: string[] } }).metadata.finalizers, ['example.com/webapp-cleanup']);

  const deleting = webApp({ metadata: { ...(webApp().metadata as object), deletionTimestamp: '2024-01-01T00:00:00Z' } });
  const cleaning = await startOperator(wasm, { objects: [deleting], kube: (call) => ({ status: 200, body: call.body ?? {} }) });
  assert.deepEqual(await cleaning.reconcile(request), { kind: 'done' });
  assert.deepEqual(cleaning.requests.map((c) => `${c.method} ${c.path}`), [
    'DELETE /apis/apps/v1/namespaces/shop/deployments/web',
    'DELETE /api/v1/namespaces/shop/services/web',
    'PUT /apis/example.com/v1/namespaces/shop/webapps/web',
  ]);
});

test('a settled WebApp causes no write, whatever order the API server keeps the status keys in', async () => {
  // A real API server returns a custom resource with its keys sorted, not in the order they were written.
  const status = {
    conditions: [{ lastTransitionTime: '2024-01-01T00:00:00Z', message: '2/2 replicas ready', observedGeneration: 2, reason: 'ReplicasReady', status: 'True', type: 'Ready' }],
    observedGeneration: 2, readyReplicas: 2,
  };
  const owned = { name: 'web', namespace: 'shop', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'uid-web', controller: true }] };
  const guest = await startOperator(wasm, {
    objects: [
      webApp({ spec: { image: 'nginx:1.27', replicas: 2 }, status }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: owned, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } }, status: { readyReplicas: 2 } },
      { apiVersion: 'v1', kind: 'Service', metadata: owned, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    ],
    kube: () => ({ status: 500, body: { kind: 'Status', message: 'no request expected' } }),
  });
  assert.deepEqual(await guest.reconcile(request), { kind: 'done' });
  assert.deepEqual(guest.requests, []);
});
