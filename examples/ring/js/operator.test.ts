// The TypeScript ring operator, built by `wasm-operator build --lang js` and driven through
// the ABI with the objects the host's cache would hold.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../../src/build/index.ts';
import { startOperator } from '../../../sdk/test/abi-harness.ts';

const toolsCacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));
const entry = fileURLToPath(new URL('./operator.ts', import.meta.url));
const source = { apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', metadata: { name: 'token', namespace: 'ring-2' }, spec: { nonce: 'n-42' } };

let wasm: Uint8Array;

before(async () => {
  wasm = (await buildOperator(entry, { lang: 'js', cacheDir: null, toolsCacheDir })).wasm;
});

test('operator i patches the nonce into namespace i+1, wrapping around, and creates the object if missing', async () => {
  const notFound = { status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } };
  const guest = await startOperator(wasm, { objects: [source], kube: (call) => (call.method === 'PATCH' ? notFound : { status: 201, body: call.body }) }, { index: 2, size: 3 });
  assert.deepEqual(await guest.reconcile({ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: 'ring-2', name: 'token' }), { kind: 'done' });
  assert.deepEqual(guest.requests.map((c) => [c.method, c.path, JSON.stringify(c.body)]), [
    ['PATCH', '/apis/ring.wasm-operator.dev/v1/namespaces/ring-0/testresources/token', '{"spec":{"nonce":"n-42"}}'],
    ['POST', '/apis/ring.wasm-operator.dev/v1/namespaces/ring-0/testresources', '{"apiVersion":"ring.wasm-operator.dev/v1","kind":"TestResource","metadata":{"name":"token","namespace":"ring-0"},"spec":{"nonce":"n-42"}}'],
  ]);
});

test('requests from other namespaces are left to their own operator, and a bad config fails init', async () => {
  const guest = await startOperator(wasm, { objects: [source] }, { index: 0, size: 3 });
  await guest.reconcile({ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: 'ring-2', name: 'token' });
  assert.deepEqual(guest.requests, []);
  const bad = await startOperator(wasm, {}, { index: 3, size: 3 });
  assert.deepEqual(bad.initResult, { kind: 'failed', message: 'config needs 0 <= index < size; got index 3, size 3', terminal: true });
});
