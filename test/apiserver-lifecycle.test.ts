import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configMap, KubeHttp } from './support/kube-http.ts';

const gadgetCrd = (scope: 'Namespaced' | 'Cluster' = 'Namespaced', plural = 'gadgets') => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.example.com` },
  spec: {
    group: 'example.com',
    scope,
    names: { plural, kind: plural === 'gadgets' ? 'Gadget' : 'Widget', shortNames: plural === 'gadgets' ? ['gd'] : [] },
    versions: [
      { name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
});

describe('embedded API server: object lifecycle', () => {
  let kube: KubeHttp;
  before(async () => {
    kube = await KubeHttp.start();
  });
  after(() => kube.close());

  test('an object with a finalizer is only marked for deletion, and goes when the finalizer is removed', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    await kube.post(path, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const deleting = await kube.delete(`${path}/held`);
    assert.equal(deleting.status, 200);
    assert.equal(deleting.body.kind, 'ConfigMap');
    assert.match(deleting.body.metadata.deletionTimestamp, /Z$/);
    assert.equal(deleting.body.metadata.deletionGracePeriodSeconds, 0);
    const still = (await kube.get(`${path}/held`)).body;
    const added = await kube.put(`${path}/held`, { ...still, metadata: { ...still.metadata, finalizers: ['example.com/hold', 'example.com/new'] } });
    assert.equal(added.status, 422, 'no new finalizers once deleting');
    const released = await kube.put(`${path}/held`, { ...still, metadata: { ...still.metadata, finalizers: [] } });
    assert.equal(released.status, 200);
    assert.equal((await kube.get(`${path}/held`)).status, 404);
  });

  test('deleting an owner deletes its dependents in the background', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const owner = (await kube.post(path, configMap('owner'))).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await kube.post(path, { metadata: { name: 'dependent', ownerReferences: [ref] } });
    const other = (await kube.post(path, configMap('second-owner'))).body;
    await kube.post(path, { metadata: { name: 'shared', ownerReferences: [ref, { apiVersion: 'v1', kind: 'ConfigMap', name: 'second-owner', uid: other.metadata.uid }] } });
    await kube.delete(`${path}/owner`);
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/dependent`)).status, 404);
    const shared = await kube.get(`${path}/shared`);
    assert.equal(shared.status, 200, 'an object with a remaining owner stays');
    assert.deepEqual(shared.body.metadata.ownerReferences.map((r: { name: string }) => r.name), ['second-owner']);
  });

  test('propagationPolicy Orphan keeps dependents and removes their owner references', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const owner = (await kube.post(path, configMap('orphaner'))).body;
    await kube.post(path, { metadata: { name: 'orphan', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'orphaner', uid: owner.metadata.uid }] } });
    const res = await kube.delete(`${path}/orphaner`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200);
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/orphaner`)).status, 404);
    const orphan = await kube.get(`${path}/orphan`);
    assert.equal(orphan.status, 200);
    assert.equal(orphan.body.metadata.ownerReferences, undefined);
  });

  test('propagationPolicy Foreground deletes dependents before the owner', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const owner = (await kube.post(path, configMap('fg-owner'))).body;
    await kube.post(path, { metadata: { name: 'fg-dep', finalizers: ['example.com/slow'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid: owner.metadata.uid, blockOwnerDeletion: true }] } });
    const res = await kube.request('DELETE', `${path}/fg-owner?propagationPolicy=Foreground`);
    assert.deepEqual(res.body.metadata.finalizers, ['foregroundDeletion']);
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/fg-owner`)).status, 200, 'the owner waits for its dependent');
    const dep = (await kube.get(`${path}/fg-dep`)).body;
    assert.ok(dep.metadata.deletionTimestamp);
    await kube.put(`${path}/fg-dep`, { ...dep, metadata: { ...dep.metadata, finalizers: [] } });
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/fg-owner`)).status, 404);
  });

  test('a Foreground owner waits only for dependents whose reference sets blockOwnerDeletion', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const owner = (await kube.post(path, configMap('fg-owner2'))).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner2', uid: owner.metadata.uid };
    await kube.post(path, { metadata: { name: 'fg-loose', finalizers: ['example.com/slow'], ownerReferences: [ref] } });
    await kube.request('DELETE', `${path}/fg-owner2?propagationPolicy=Foreground`);
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/fg-owner2`)).status, 404, 'a non-blocking dependent does not hold the owner');
    const loose = (await kube.get(`${path}/fg-loose`)).body;
    assert.ok(loose.metadata.deletionTimestamp, 'but it is deleted all the same');
    await kube.put(`${path}/fg-loose`, { ...loose, metadata: { ...loose.metadata, finalizers: [] } });
  });

  test('deleting a namespace terminates it, deletes its contents, then the namespace', async () => {
    await kube.post('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await kube.server.settled();
    const path = '/api/v1/namespaces/doomed/configmaps';
    await kube.post(path, configMap('c1'));
    await kube.post(path, { metadata: { name: 'c2', finalizers: ['example.com/hold'] } });
    const res = await kube.delete('/api/v1/namespaces/doomed');
    assert.equal(res.status, 200);
    assert.equal(res.body.status.phase, 'Terminating');
    await kube.server.settled();
    assert.equal((await kube.get(`${path}/c1`)).status, 404);
    const refused = await kube.post(path, configMap('c3'));
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /because it is being terminated/);
    const ns = (await kube.get('/api/v1/namespaces/doomed')).body;
    assert.equal(ns.status.conditions.find((c: { type: string }) => c.type === 'NamespaceContentRemaining').status, 'True');
    const c2 = (await kube.get(`${path}/c2`)).body;
    await kube.put(`${path}/c2`, { ...c2, metadata: { ...c2.metadata, finalizers: [] } });
    await kube.server.settled();
    assert.equal((await kube.get('/api/v1/namespaces/doomed')).status, 404);
  });

  test('the system namespaces exist, cannot be deleted, and namespaces get a default ServiceAccount', async () => {
    const names = (await kube.get('/api/v1/namespaces')).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(n), n);
    const res = await kube.delete('/api/v1/namespaces/default');
    assert.equal(res.status, 403);
    assert.equal(res.body.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
    await kube.post('/api/v1/namespaces', { metadata: { name: 'with-sa' } });
    await kube.server.settled();
    assert.equal((await kube.get('/api/v1/namespaces/with-sa/serviceaccounts/default')).status, 200);
  });

  test('generation moves on spec changes only, and the status subresource changes only status', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments';
    const spec = (replicas: number) => ({ replicas, ...deploymentSpec('web') });
    const created = (await kube.post(path, { metadata: { name: 'web' }, spec: spec(1), status: { replicas: 9 } })).body;
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(created.status, {}, 'status is reset on create (kube serializes the empty struct)');
    const scaled = (await kube.put(`${path}/web`, { ...created, spec: spec(2), status: { replicas: 5 } })).body;
    assert.equal(scaled.metadata.generation, 2);
    assert.deepEqual(scaled.status, {}, 'the main resource ignores status');
    const labelled = (await kube.put(`${path}/web`, { ...scaled, metadata: { ...scaled.metadata, labels: { a: 'b' } } })).body;
    assert.equal(labelled.metadata.generation, 2, 'metadata changes keep the generation');
    const status = (await kube.put(`${path}/web/status`, { ...labelled, spec: spec(7), status: { replicas: 2 } })).body;
    assert.deepEqual([status.metadata.generation, status.spec.replicas, status.status.replicas], [2, 2, 2]);
  });

  test('deleting with a stale precondition is a Conflict', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    await kube.post(path, configMap('pre'));
    const res = await kube.delete(`${path}/pre`, { preconditions: { uid: 'not-the-uid' } });
    assert.equal(res.status, 409);
    assert.match(res.body.message, /Precondition failed: UID in precondition: not-the-uid/);
    const ok = await kube.delete(`${path}/pre`);
    assert.deepEqual([ok.body.kind, ok.body.status, ok.body.details.name, ok.body.details.kind], ['Status', 'Success', 'pre', 'configmaps']);
  });

  test('deletecollection deletes what the selector selects', async () => {
    await kube.post('/api/v1/namespaces', { metadata: { name: 'bulk' } });
    const path = '/api/v1/namespaces/bulk/configmaps';
    await kube.post(path, configMap('k1', {}, { drop: 'yes' }));
    await kube.post(path, configMap('k2', {}, { drop: 'yes' }));
    await kube.post(path, configMap('k3', {}, { drop: 'no' }));
    const res = await kube.request('DELETE', `${path}?labelSelector=drop%3Dyes`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'ConfigMapList');
    const left = (await kube.get(path)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(left, ['k3']);
  });
});

describe('embedded API server: CustomResourceDefinitions', () => {
  let kube: KubeHttp;
  before(async () => {
    kube = await KubeHttp.start();
  });
  after(() => kube.close());

  test('a CRD is served at once in every served version and appears in discovery with its conditions', async () => {
    const created = await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgetCrd());
    assert.equal(created.status, 201);
    const res = await kube.post('/apis/example.com/v1/namespaces/default/gadgets', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1 }, status: { ok: true } });
    assert.equal(res.status, 201);
    assert.equal(res.body.metadata.generation, 1);
    assert.equal(res.body.status, undefined);
    const beta = await kube.get('/apis/example.com/v1beta1/namespaces/default/gadgets/g1');
    assert.equal(beta.body.apiVersion, 'example.com/v1beta1');
    const group = (await kube.get('/apis/example.com')).body;
    assert.equal(group.preferredVersion.version, 'v1');
    const resources = (await kube.get('/apis/example.com/v1')).body.resources.map((r: { name: string }) => r.name);
    assert.deepEqual(resources, ['gadgets', 'gadgets/status']);
    await kube.server.settled();
    const crd = (await kube.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')).body;
    const conditions = Object.fromEntries(crd.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, `${c.status}/${c.reason}`]));
    assert.deepEqual(conditions, { NamesAccepted: 'True/NoConflicts', Established: 'True/InitialNamesAccepted' });
    assert.equal(crd.status.acceptedNames.kind, 'Gadget');
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.equal(crd.spec.names.singular, 'gadget');
    assert.equal(crd.spec.names.listKind, 'GadgetList');
    const aggregated = await kube.get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(aggregated.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const example = aggregated.body.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'example.com');
    assert.deepEqual(example.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1']);
  });

  test('a cluster-scoped CRD serves objects without a namespace', async () => {
    await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgetCrd('Cluster', 'widgets'));
    const res = await kube.post('/apis/example.com/v1/widgets', { metadata: { name: 'w1' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.metadata.namespace, undefined);
    assert.equal((await kube.get('/apis/example.com/v1/namespaces/default/widgets/w1')).status, 404);
  });

  test('an invalid CRD is refused with kube\'s field errors', async () => {
    const bad = gadgetCrd();
    bad.metadata.name = 'wrong.example.com';
    const res = await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    assert.equal(res.status, 422);
    assert.match(res.body.message, /metadata\.name: Invalid value: "wrong\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
  });

  test('deleting a CRD deletes its objects, then stops serving them', async () => {
    const crd = gadgetCrd('Namespaced', 'gizmos');
    crd.spec.names.kind = 'Gizmo';
    await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    await kube.post('/apis/example.com/v1/namespaces/default/gizmos', { metadata: { name: 'z1' } });
    const watch = await kube.watch('/apis/example.com/v1/gizmos?watch=true');
    assert.equal((await watch.next())!.type, 'ADDED');
    const res = await kube.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    await kube.server.settled();
    assert.equal((await kube.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com')).status, 404);
    assert.equal((await kube.get('/apis/example.com/v1/namespaces/default/gizmos')).status, 404);
    assert.equal((await watch.next())!.type, 'DELETED');
    assert.equal(await watch.next(), undefined, 'the watch ends with the CRD');
    const resources = (await kube.get('/apis/example.com/v1')).body.resources.map((r: { name: string }) => r.name);
    assert.ok(!resources.includes('gizmos'));
  });

  test('the OpenAPI v3 documents advertise fieldValidation on PATCH and link from the root with a hash', async () => {
    const root = (await kube.get('/openapi/v3')).body;
    const url = root.paths['api/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await kube.get(url)).body;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
    const stale = await fetch(`${kube.server.url}/openapi/v3/api/v1?hash=OLD`, { redirect: 'manual' });
    assert.equal(stale.status, 301);
  });
});

describe('embedded API server: scale subresource', () => {
  test('a Deployment scales through autoscaling/v1 Scale, with its selector', async () => {
    const kube = await KubeHttp.start();
    try {
      const path = '/apis/apps/v1/namespaces/default/deployments';
      const valid = deploymentSpec('web');
      await kube.post(path, { metadata: { name: 'web' }, spec: { ...valid, selector: { matchLabels: { app: 'web', tier: 'a' } }, template: { ...valid.template, metadata: { labels: { app: 'web', tier: 'a' } } } } });
      const scale = (await kube.get(`${path}/web/scale`)).body;
      assert.deepEqual([scale.kind, scale.apiVersion, scale.spec.replicas, scale.status.selector], ['Scale', 'autoscaling/v1', 1, 'app=web,tier=a']);
      const patched = await kube.request('PATCH', `${path}/web/scale`, { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(patched.body.spec.replicas, 4);
      assert.equal((await kube.get(`${path}/web`)).body.spec.replicas, 4);
      const stale = await kube.put(`${path}/web/scale`, { ...scale, spec: { replicas: 2 } });
      assert.equal(stale.status, 409);
      const resources = (await kube.get('/apis/apps/v1')).body.resources;
      assert.deepEqual(resources.find((r: { name: string }) => r.name === 'deployments/scale'), {
        name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
      });
    } finally {
      await kube.close();
    }
  });
});

/** The smallest Deployment spec kube-apiserver accepts: a selector and a template it matches. */
function deploymentSpec(app: string) {
  return {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: 'nginx:1.27' }] } },
  };
}
