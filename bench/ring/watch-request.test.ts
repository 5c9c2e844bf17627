import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWatchRequest } from './watch-request.ts';

test('a request is a watch when it says watch=true or 1, or uses the legacy /watch/ prefix', () => {
  assert.equal(isWatchRequest('/apis/ring.wasm-operator.dev/v1/namespaces/ring-0/testresources?watch=true&resourceVersion=5'), true);
  assert.equal(isWatchRequest('/api/v1/configmaps?watch=1'), true);
  assert.equal(isWatchRequest('/api/v1/watch/namespaces/default/configmaps'), true);
  assert.equal(isWatchRequest('/apis/apps/v1/watch/deployments'), true);
});

test('lists, gets, writes and watch=false are not watches', () => {
  assert.equal(isWatchRequest('/apis/ring.wasm-operator.dev/v1/namespaces/ring-0/testresources'), false);
  assert.equal(isWatchRequest('/api/v1/configmaps?watch=false'), false);
  assert.equal(isWatchRequest('/api/v1/namespaces/watch/configmaps/x'), false);
});
