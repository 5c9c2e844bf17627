import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiRequest } from './api-request.ts';
import { isAllowed, type PolicyRule } from './policy-rule.ts';

const configMapsInDefault: PolicyRule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create'], namespaces: ['default'] };
const allowed = (rules: PolicyRule[], method: string, url: string) => isAllowed(rules, parseApiRequest(method, url));

test('a rule allows exactly its verbs, group, resources and namespaces', () => {
  const rules = [configMapsInDefault];
  assert.equal(allowed(rules, 'POST', '/api/v1/namespaces/default/configmaps'), true);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/default/configmaps?watch=1'), true);
  assert.equal(allowed(rules, 'DELETE', '/api/v1/namespaces/default/configmaps/x'), false);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/other/configmaps/x'), false);
  assert.equal(allowed(rules, 'GET', '/api/v1/configmaps'), false, 'all namespaces is not one namespace');
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/default/secrets/x'), false);
  assert.equal(allowed(rules, 'GET', '/apis/other/v1/namespaces/default/configmaps/x'), false);
});

test('a rule without namespaces applies everywhere, cluster scope included', () => {
  const rules: PolicyRule[] = [{ apiGroups: [''], resources: ['nodes', 'configmaps'], verbs: ['list'] }];
  assert.equal(allowed(rules, 'GET', '/api/v1/nodes'), true);
  assert.equal(allowed(rules, 'GET', '/api/v1/configmaps'), true);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/any/configmaps'), true);
});

test('a subresource needs its own grant: the resource alone does not cover it', () => {
  const rules: PolicyRule[] = [{ apiGroups: ['example.com'], resources: ['websites'], verbs: ['*'] }];
  assert.equal(allowed(rules, 'PUT', '/apis/example.com/v1/namespaces/d/websites/w'), true);
  assert.equal(allowed(rules, 'PUT', '/apis/example.com/v1/namespaces/d/websites/w/status'), false);
  const withStatus: PolicyRule[] = [{ apiGroups: ['example.com'], resources: ['websites/status'], verbs: ['update', 'patch'] }];
  assert.equal(allowed(withStatus, 'PATCH', '/apis/example.com/v1/namespaces/d/websites/w/status'), true);
  assert.equal(allowed(withStatus, 'PATCH', '/apis/example.com/v1/namespaces/d/websites/w'), false);
});

test('wildcards match any group, resource (subresources too), verb, and */status any status', () => {
  assert.equal(allowed([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 'DELETE', '/apis/apps/v1/namespaces/d/deployments/x/scale'), true);
  const anyStatus: PolicyRule[] = [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['patch'] }];
  assert.equal(allowed(anyStatus, 'PATCH', '/apis/apps/v1/namespaces/d/deployments/x/status'), true);
  assert.equal(allowed(anyStatus, 'PATCH', '/apis/apps/v1/namespaces/d/deployments/x/scale'), false);
  assert.equal(allowed(anyStatus, 'PATCH', '/apis/apps/v1/namespaces/d/deployments/x'), false);
});

test('resourceNames allow only the named objects, so never a create or an unnamed list', () => {
  const rules: PolicyRule[] = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'create'], resourceNames: ['tls'] }];
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/d/secrets/tls'), true);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/d/secrets/other'), false);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/d/secrets'), false);
  assert.equal(allowed(rules, 'GET', '/api/v1/namespaces/d/secrets?fieldSelector=metadata.name=tls'), true);
  assert.equal(allowed(rules, 'POST', '/api/v1/namespaces/d/secrets'), false);
});

test('no rules allow nothing but reading discovery, version and health', () => {
  assert.equal(allowed([], 'GET', '/apis'), true);
  assert.equal(allowed([], 'GET', '/apis/apps/v1'), true);
  assert.equal(allowed([], 'GET', '/version'), true);
  assert.equal(allowed([], 'GET', '/readyz'), true);
  assert.equal(allowed([], 'GET', '/metrics'), false);
  assert.equal(allowed([], 'POST', '/apis'), false);
  assert.equal(allowed([], 'GET', '/api/v1/namespaces/d/configmaps/x'), false);
});
