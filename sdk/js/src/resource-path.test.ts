import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessPlural, ResourceNames } from './resource-path.ts';

test('kinds become the plural resource names Kubernetes uses', () => {
  const kinds = ['Deployment', 'Ingress', 'NetworkPolicy', 'ConfigMap', 'Gateway', 'StatefulSet', 'ResourceQuota', 'Box', 'Batch'];
  assert.deepEqual(kinds.map(guessPlural), ['deployments', 'ingresses', 'networkpolicies', 'configmaps', 'gateways', 'statefulsets', 'resourcequotas', 'boxes', 'batches']);
});

test('paths cover core and grouped APIs, namespaced and cluster-scoped objects, and the status subresource', () => {
  const names = new ResourceNames();
  assert.equal(names.objectPath({ apiVersion: 'v1', kind: 'Endpoints', namespace: 'a', name: 'x' }), '/api/v1/namespaces/a/endpoints/x');
  assert.equal(names.collectionPath({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }), '/apis/rbac.authorization.k8s.io/v1/clusterroles');
  assert.equal(names.objectPath({ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' }, 'status'), '/apis/example.com/v1/namespaces/shop/webapps/web/status');
  names.register({ apiVersion: 'bio.example/v1', kind: 'Cactus', plural: 'cacti' });
  assert.equal(names.objectPath({ apiVersion: 'bio.example/v1', kind: 'Cactus', name: 'c' }), '/apis/bio.example/v1/cacti/c');
  assert.throws(() => names.objectPath({ apiVersion: 'v1', kind: 'Pod', name: '' }), /needs a name/);
});
