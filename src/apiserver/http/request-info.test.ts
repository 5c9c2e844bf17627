import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestPath } from './request-info.ts';

test('namespaced, cluster-wide and grouped resource paths', () => {
  assert.deepEqual(parseRequestPath('/api/v1/namespaces/ns/configmaps/x'), { kind: 'resource', path: { group: '', version: 'v1', resource: 'configmaps', namespace: 'ns', name: 'x', watchPath: false } });
  assert.deepEqual(parseRequestPath('/apis/apps/v1/deployments'), { kind: 'resource', path: { group: 'apps', version: 'v1', resource: 'deployments', watchPath: false } });
  assert.deepEqual(parseRequestPath('/apis/apps/v1/namespaces/ns/deployments/web/status'), {
    kind: 'resource', path: { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'ns', name: 'web', subresource: 'status', watchPath: false },
  });
});

test('a namespace path addresses the namespace itself, with its status and finalize subresources', () => {
  assert.deepEqual(parseRequestPath('/api/v1/namespaces/ns'), { kind: 'resource', path: { group: '', version: 'v1', resource: 'namespaces', name: 'ns', watchPath: false } });
  assert.deepEqual(parseRequestPath('/api/v1/namespaces/ns/finalize'), { kind: 'resource', path: { group: '', version: 'v1', resource: 'namespaces', name: 'ns', subresource: 'finalize', watchPath: false } });
});

test('the legacy watch prefix, discovery paths and everything else', () => {
  assert.deepEqual(parseRequestPath('/api/v1/watch/namespaces/ns/pods'), { kind: 'resource', path: { group: '', version: 'v1', resource: 'pods', namespace: 'ns', watchPath: true } });
  assert.deepEqual(parseRequestPath('/apis/apps'), { kind: 'discovery', legacy: false, group: 'apps' });
  assert.deepEqual(parseRequestPath('/api'), { kind: 'discovery', legacy: true });
  assert.deepEqual(parseRequestPath('/metrics'), { kind: 'other' });
  assert.deepEqual(parseRequestPath('/api/v1/namespaces/ns/pods/x/log/extra'), { kind: 'other' });
  assert.deepEqual(parseRequestPath('/api/v1/%E0%A4%A'), { kind: 'other' });
});
