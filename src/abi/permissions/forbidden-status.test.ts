import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiRequest } from './api-request.ts';
import { forbiddenStatus, operatorUser } from './forbidden-status.ts';

const user = operatorUser({ namespace: 'default', name: 'web-operator' });

test('a denied call on a named object gets kube-apiserver\'s 403 Status, word for word', () => {
  const status = forbiddenStatus(parseApiRequest('PUT', '/api/v1/namespaces/default/configmaps/x'), user);
  assert.deepEqual(status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'configmaps "x" is forbidden: User "wasm-operator:operator:default:web-operator" cannot update resource "configmaps" in API group "" in the namespace "default"',
    reason: 'Forbidden',
    details: { name: 'x', kind: 'configmaps' },
    code: 403,
  });
  assert.deepEqual(Object.keys(status), ['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code']);
});

test('a denied create or list names no object, and a grouped resource is qualified by its group', () => {
  const status = forbiddenStatus(parseApiRequest('POST', '/apis/apps/v1/namespaces/web/deployments'), user);
  assert.equal(status.message, `deployments.apps is forbidden: User "${user}" cannot create resource "deployments" in API group "apps" in the namespace "web"`);
  assert.deepEqual(status.details, { group: 'apps', kind: 'deployments' });
});

test('cluster-scoped calls and subresources are worded as kube words them', () => {
  const nodes = forbiddenStatus(parseApiRequest('GET', '/api/v1/nodes'), user);
  assert.equal(nodes.message, `nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope`);
  const scale = forbiddenStatus(parseApiRequest('PATCH', '/apis/apps/v1/namespaces/d/deployments/x/scale'), user);
  assert.match(scale.message, /^deployments\.apps "x" is forbidden: User ".*" cannot patch resource "deployments\/scale" in API group "apps" in the namespace "d"$/);
});

test('a non-resource path and an explanation after the message', () => {
  const status = forbiddenStatus(parseApiRequest('GET', '/metrics'), user, 'not in the permissions of WasmOperator default/web-operator');
  assert.equal(status.message, `forbidden: User "${user}" cannot get path "/metrics": not in the permissions of WasmOperator default/web-operator`);
  assert.deepEqual(status.details, {});
});

test('an operator without a namespace is named by its name alone', () => {
  assert.equal(operatorUser({ name: 'nodes' }), 'wasm-operator:operator:nodes');
});
