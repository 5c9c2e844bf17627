/**
 * ring end to end, for one SDK's build of it: three copies of the module, each watching its
 * own namespace, pass a nonce around the ring in a real host against the embedded API server.
 * Each version's `ring.e2e.test.ts` (AssemblyScript here, `js/`, `go/`) calls it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../src/build/index.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';
import type { ExampleBuild } from '../webapp/webapp.e2e.case.ts';

const SIZE = 3;
const resources = (i: number) => `/apis/ring.wasm-operator.dev/v1/namespaces/ring-${i}/testresources`;

interface TestResource { metadata: { resourceVersion: string }; spec: { nonce: string } }

export function ringEndToEnd(build: ExampleBuild): void {
  describe(`ring (${build.sdk}) in a real host`, () => {
    let fx: HostFixture;
    let wasm: Uint8Array;
    const limits = build.memoryLimit === undefined ? {} : { memoryLimit: build.memoryLimit };
    before(async () => {
      wasm = (await buildOperator(fileURLToPath(new URL(build.entry, import.meta.url)), build.options)).wasm;
      fx = await HostFixture.start();
      await fx.apply(await readFile(new URL('crd.yaml', import.meta.url), 'utf8'));
      for (let i = 0; i < SIZE; i++) {
        await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ring-${i}\n`);
        await fx.run(`ring-${i}`, wasm, {
          watches: [{ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: `ring-${i}` }],
          config: { index: i, size: SIZE },
          idlePolicy: 'immediate',
          ...limits,
        });
      }
    });
    after(async () => fx.stop());

    test('a nonce written into ring-0 travels through every namespace and stops where it started', async () => {
      const created = await fx.request('POST', resources(0), { apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', metadata: { name: 'token' }, spec: { nonce: 'first' } });
      assert.equal(created.status, 201, created.text);
      for (let i = 1; i < SIZE; i++) await fx.waitFor<TestResource>(`${resources(i)}/token`, (t, status) => status === 200 && t.spec.nonce === 'first');
      // The round ends when the last operator has passed the nonce back to ring-0 (a patch that
      // changes nothing, so not visible on the server): a new nonce written before that would
      // be overwritten by the old one.
      const last = () => fx.host!.operators().find((r) => r.name === `default/ring-${SIZE - 1}`);
      await fx.until('the last operator passed the first nonce back', () => (last()?.reconciles ?? 0) >= 1);
      await fx.host!.settled();

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
      await fx.run('ring-bad', wasm, { config: { index: 5, size: SIZE }, idlePolicy: 'immediate', ...limits });
      const bad = () => fx.host!.operators().find((r) => r.name === 'default/ring-bad');
      await fx.until('the misconfigured operator is marked failed', () => bad()?.phase === 'failed');
      assert.match(bad()?.lastError ?? '', /config needs 0 <= index < size; got index 5, size 3/);
    });
  });
}
