import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiRequest } from './api-request.ts';

test('methods on objects and collections become RBAC verbs as kube-apiserver derives them', () => {
  const cases: Array<[string, string, string]> = [
    ['GET', '/api/v1/namespaces/default/configmaps/x', 'get'],
    ['HEAD', '/api/v1/namespaces/default/configmaps/x', 'get'],
    ['GET', '/api/v1/namespaces/default/configmaps', 'list'],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=true', 'watch'],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=1', 'watch'],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=false', 'list'],
    ['GET', '/api/v1/watch/namespaces/default/configmaps/x', 'watch'],
    ['POST', '/api/v1/namespaces/default/configmaps', 'create'],
    ['PUT', '/api/v1/namespaces/default/configmaps/x', 'update'],
    ['PATCH', '/api/v1/namespaces/default/configmaps/x', 'patch'],
    ['DELETE', '/api/v1/namespaces/default/configmaps/x', 'delete'],
    ['DELETE', '/api/v1/namespaces/default/configmaps', 'deletecollection'],
  ];
  for (const [method, url, verb] of cases) assert.equal(parseApiRequest(method, url).verb, verb, `${method} ${url}`);
});

test('a namespaced object in a named group is parsed into group, version, resource, namespace and name', () => {
  assert.deepEqual(parseApiRequest('PUT', '/apis/apps/v1/namespaces/web/deployments/shop/status'), {
    verb: 'update',
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    subresource: 'status',
    namespace: 'web',
    name: 'shop',
  });
});

test('cluster-scoped objects have no namespace, and a namespace is its own namespace', () => {
  assert.deepEqual(parseApiRequest('GET', '/api/v1/nodes/n1'), { verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'n1' });
  assert.deepEqual(parseApiRequest('GET', '/api/v1/namespaces/web'), { verb: 'get', group: '', version: 'v1', resource: 'namespaces', namespace: 'web', name: 'web' });
  assert.deepEqual(parseApiRequest('PUT', '/api/v1/namespaces/web/finalize'), {
    verb: 'update',
    group: '',
    version: 'v1',
    resource: 'namespaces',
    subresource: 'finalize',
    namespace: 'web',
    name: 'web',
  });
  assert.deepEqual(parseApiRequest('GET', '/apis/example.com/v1/websites'), { verb: 'list', group: 'example.com', version: 'v1', resource: 'websites' });
});

test('a list or watch narrowed to one name by field selector is about that object', () => {
  assert.deepEqual(parseApiRequest('GET', '/api/v1/namespaces/d/secrets?watch=true&fieldSelector=metadata.name%3Dtls'), {
    verb: 'watch',
    group: '',
    version: 'v1',
    resource: 'secrets',
    namespace: 'd',
    name: 'tls',
  });
  assert.equal('name' in parseApiRequest('GET', '/api/v1/secrets?fieldSelector=metadata.name!%3Dtls'), false);
});

test('discovery and other paths outside resources are non-resource requests', () => {
  assert.deepEqual(parseApiRequest('GET', '/apis/apps/v1'), { verb: 'get', path: '/apis/apps/v1' });
  assert.deepEqual(parseApiRequest('GET', '/api'), { verb: 'get', path: '/api' });
  assert.deepEqual(parseApiRequest('GET', '/version?timeout=1s'), { verb: 'get', path: '/version' });
  assert.deepEqual(parseApiRequest('POST', 'https://10.0.0.1:6443/metrics'), { verb: 'create', path: '/metrics' });
});

test('query parameters may be given apart from the path, as a guest\'s kube_request gives them', () => {
  assert.equal(parseApiRequest('GET', '/api/v1/namespaces/d/secrets', { watch: 'true' }).verb, 'watch');
  assert.equal((parseApiRequest('GET', '/api/v1/namespaces/d/secrets', { fieldSelector: 'metadata.name=tls' }) as { name?: string }).name, 'tls');
});

test('escaped path segments are decoded', () => {
  assert.equal((parseApiRequest('GET', '/api/v1/namespaces/d/configmaps/a%3Ab') as { name: string }).name, 'a:b');
});
