/**
 * ring end to end: three copies of the module, each watching its own namespace, pass a nonce
 * around the ring in a real host against the embedded API server.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';

const dir = new URL('./', import.meta.url);
const SIZE = 3;
const resources = (i: number) => `/apis/ring.wasm-operator.dev/v1/namespaces/ring-${i}/testresources`;

interface TestResource { metadata: { resourceVersion: string }; spec: { nonce: string } }

let fx: HostFixture;
before(async () => {
  const { wasm } = await buildOperator(fileURLToPath(new URL('assembly/index.ts', dir)));
  fx = await HostFixture.start();
  await fx.apply(await readFile(new URL('crd.yaml', dir), 'utf8'));
  for (let i = 0; i < SIZE; i++) {
    await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ring-${i}\n`);
    await fx.run(`ring-${i}`, wasm, {
      watches: [{ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: `ring-${i}` }],
      config: { index: i, size: SIZE },
      idlePolicy: 'immediate',
    });
  }
});
after(async () => fx.stop());

test('a nonce written into ring-0 travels through every namespace and stops where it started', async () => {
  const created = await fx.request('POST', resources(0), { apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', metadata: { name: 'token' }, spec: { nonce: 'first' } });
  assert.equal(created.status, 201, created.text);
  for (let i = 1; i < SIZE; i++) await fx.waitFor<TestResource>(`${resources(i)}/token`, (t, status) => status === 200 && t.spec.nonce === 'first');

  const patched = await fx.request('PATCH', `${resources(0)}/token`, { spec: { nonce: 'second' } }, 'application/merge-patch+json');
  assert.equal(patched.status, 200, patched.text);
  for (let i = 1; i < SIZE; i++) await fx.waitFor<TestResource>(`${resources(i)}/token`, (t) => t.spec.nonce === 'second');

  // back at ring-0 the nonce is already there: the last hop changes nothing, so the ring goes quiet
  const settled = ((await fx.request('GET', `${resources(0)}/token`)).body as TestResource).metadata.resourceVersion;
  await fx.until('every operator is suspended again', () => fx.host!.operators().every((r) => r.phase === 'suspended'));
  assert.equal(((await fx.request('GET', `${resources(0)}/token`)).body as TestResource).metadata.resourceVersion, settled);
  for (const r of fx.host!.operators()) assert.equal(r.failures, 0, `${r.name}: ${r.lastError ?? ''}`);
});

test('an operator configured outside its ring fails terminally at init, naming the problem', async () => {
  const { wasm } = await buildOperator(fileURLToPath(new URL('assembly/index.ts', dir)));
  await fx.run('ring-bad', wasm, { config: { index: 5, size: SIZE }, idlePolicy: 'immediate' });
  await fx.until('the misconfigured operator is marked failed', () => fx.host!.operators().find((r) => r.name === 'default/ring-bad')?.phase === 'failed');
  assert.match(fx.host!.operators().find((r) => r.name === 'default/ring-bad')?.lastError ?? '', /config needs 0 <= index < size; got index 5, size 3/);
});
