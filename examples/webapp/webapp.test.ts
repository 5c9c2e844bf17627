import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleGuest } from '../example-guest.ts';
import type { KubeRequest } from '../../sdk/test/abi-harness.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const request = { apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' };
const APP = '/apis/example.com/v1/namespaces/shop/webapps/web';
const DEPLOY = '/apis/apps/v1/namespaces/shop/deployments';
const SVC = '/api/v1/namespaces/shop/services';
const ownerRef = { apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'app-uid', controller: true, blockOwnerDeletion: true };
/** JSON the guest sent, navigated freely (a wrong path fails the assertion that reads it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'webapp' };

function webApp(extra: { metadata?: object; spec?: object; status?: object } = {}) {
  return {
    apiVersion: 'example.com/v1', kind: 'WebApp',
    metadata: { name: 'web', namespace: 'shop', uid: 'app-uid', resourceVersion: '3', generation: 2, finalizers: ['example.com/webapp-cleanup'], ...extra.metadata },
    spec: { replicas: 2, ...extra.spec },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

function deployment(image: string, replicas: number, ready: number) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', ownerReferences: [ownerRef] },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }] }] } } },
    status: { readyReplicas: ready },
  };
}

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', ownerReferences: [ownerRef] }, spec: { ports: [{ port: 80 }] } };

function writes(requests: KubeRequest[]) {
  return requests.map((r) => `${r.method} ${r.path}`);
}

for (const lang of ['as', 'go', 'c'] as const) {
  test(`${lang}: a new WebApp gets a finalizer, an owned Deployment and Service, and a Ready=False status`, async () => {
    const app = webApp({ metadata: { finalizers: undefined } });
    const g = await exampleGuest('webapp', {
      nowMs: () => NOW,
      cacheGet: (ref) => (ref.kind === 'WebApp' ? app : null),
      kube: (r) => ({ status: r.method === 'POST' ? 201 : 200, body: r.body }),
    }, { defaultImage: 'nginx:1.27' }, lang);
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(writes(g.requests), [`PUT ${APP}`, `POST ${DEPLOY}`, `POST ${SVC}`, `PATCH ${APP}/status`]);
    const [finalizer, deploy, svc, status] = g.requests.map((r) => r.body) as [Json, Json, Json, Json];
    assert.deepEqual(finalizer.metadata.finalizers, ['example.com/webapp-cleanup']);
    assert.deepEqual(deploy, {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels, ownerReferences: [ownerRef] },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } },
    });
    assert.deepEqual(svc.spec, { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    assert.deepEqual(status, { status: {
      observedGeneration: 2, readyReplicas: 0,
      conditions: [{ type: 'Ready', status: 'False', observedGeneration: 2, lastTransitionTime: '2026-03-01T12:00:00Z', reason: 'ReplicasNotReady', message: '0/2 replicas ready' }],
    } });
  });

  test(`${lang}: a settled WebApp causes no writes at all`, async () => {
    const ready = { type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReplicasReady', message: '2/2 replicas ready' };
    const app = webApp({ spec: { image: 'nginx:1.27' }, status: { observedGeneration: 2, readyReplicas: 2, conditions: [ready] } });
    const g = await exampleGuest('webapp', {
      cacheGet: (ref) => (ref.kind === 'WebApp' ? app : ref.kind === 'Deployment' ? deployment('nginx:1.27', 2, 2) : service),
      kube: () => ({ status: 500, body: {} }),
    }, {}, lang);
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(g.requests, []);
  });

  test(`${lang}: a changed image is merge-patched into the Deployment`, async () => {
    const app = webApp({ spec: { image: 'nginx:1.28' } });
    const g = await exampleGuest('webapp', {
      cacheGet: (ref) => (ref.kind === 'WebApp' ? app : ref.kind === 'Deployment' ? deployment('nginx:1.27', 2, 2) : service),
      kube: (r) => ({ status: 200, body: r.method === 'PATCH' && r.path.includes('deployments') ? deployment('nginx:1.28', 2, 2) : {} }),
    }, {}, lang);
    await g.reconcile(request);
    const patch = g.requests.find((r) => r.path === `${DEPLOY}/web`);
    assert.equal(patch?.contentType, 'application/merge-patch+json');
    assert.equal((patch?.body as Json).spec.template.spec.containers[0].image, 'nginx:1.28');
  });

  test(`${lang}: an object of the same name that the WebApp does not control is left alone`, async () => {
    const foreign = { ...deployment('other', 1, 1), metadata: { name: 'web', namespace: 'shop' } };
    const g = await exampleGuest('webapp', {
      cacheGet: (ref) => (ref.kind === 'WebApp' ? webApp() : ref.kind === 'Deployment' ? foreign : service),
      kube: () => ({ status: 200, body: {} }),
    }, {}, lang);
    assert.deepEqual(await g.reconcile(request), { kind: 'failed', message: 'could not create or update the Deployment', terminal: false });
    assert.deepEqual(g.requests, []);
  });

  test(`${lang}: a deleted WebApp has its children deleted, then its finalizer removed`, async () => {
    const app = webApp({ metadata: { deletionTimestamp: '2026-03-01T11:00:00Z' } });
    const g = await exampleGuest('webapp', {
      cacheGet: () => app,
      kube: (r) => ({ status: r.method === 'DELETE' && r.path.includes('services') ? 404 : 200, body: r.body ?? {} }),
    }, {}, lang);
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(writes(g.requests), [`DELETE ${DEPLOY}/web`, `DELETE ${SVC}/web`, `PUT ${APP}`]);
    assert.deepEqual((g.requests[2]!.body as Json).metadata.finalizers, []);
  });
}
