import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbiHarness } from '../../sdk/test/abi-harness.ts';
import { exampleGuest, exampleModule } from '../example-guest.ts';

const TR = '/apis/ring.wasm-operator.dev/v1/namespaces';
const resource = (ns: string, nonce: string) => ({ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', metadata: { name: 'token', namespace: ns }, spec: { nonce } });
const request = (ns: string) => ({ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: ns, name: 'token' });

for (const lang of ['as', 'go'] as const) {
  test(`${lang}: operator i passes the nonce to namespace i+1 with one merge patch`, async () => {
    const g = await exampleGuest('ring', { cacheGet: () => resource('ring-1', 'n-42'), kube: () => ({ status: 200, body: {} }) }, { index: 1, size: 3 }, lang);
    assert.deepEqual(await g.reconcile(request('ring-1')), { kind: 'done' });
    assert.deepEqual(g.requests, [{
      method: 'PATCH', path: `${TR}/ring-2/testresources/token`, query: { fieldManager: 'ring' },
      contentType: 'application/merge-patch+json', body: { spec: { nonce: 'n-42' } },
    }]);
  });

  test(`${lang}: the last operator wraps around to ring-0, creating the resource when it is missing`, async () => {
    const g = await exampleGuest('ring', {
      cacheGet: () => resource('ring-2', 'n-7'),
      kube: (r) => (r.method === 'PATCH' ? { status: 404, body: { kind: 'Status', reason: 'NotFound' } } : { status: 201, body: {} }),
    }, { index: '2', size: '3', namespacePrefix: 'ring-' }, lang);
    assert.deepEqual(await g.reconcile(request('ring-2')), { kind: 'done' });
    assert.deepEqual(g.requests.map((r) => [r.method, r.path, r.body]), [
      ['PATCH', `${TR}/ring-0/testresources/token`, { spec: { nonce: 'n-7' } }],
      ['POST', `${TR}/ring-0/testresources`, { ...resource('ring-0', 'n-7') }],
    ]);
  });

  test(`${lang}: requests from other namespaces are not this operator's part of the ring`, async () => {
    const g = await exampleGuest('ring', { cacheGet: () => resource('ring-5', 'x'), kube: () => ({ status: 200, body: {} }) }, { index: 1, size: 3 }, lang);
    assert.deepEqual(await g.reconcile(request('ring-5')), { kind: 'done' });
    assert.deepEqual(g.requests, []);
  });

  test(`${lang}: init refuses an index outside the ring, terminally`, async () => {
    const g = await AbiHarness.load(await exampleModule('ring', lang));
    assert.deepEqual(await g.init({ abiVersion: 1, operator: { name: 'ring' }, config: { index: 3, size: 3 } }), {
      kind: 'failed', terminal: true, message: 'config needs 0 <= index < size; got index 3, size 3',
    });
  });
}
