import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { HostFixture } from '../support/host-fixture.ts';

const crd = await readFile(new URL('../conformance/crd.yaml', import.meta.url), 'utf8');
const manifest = new URL('../conformance/guest-manifest.yaml', import.meta.url).pathname;
const guest = new URL('../../sdk/assemblyscript/conformance/assembly/index.ts', import.meta.url).pathname;
const tests = '/apis/conformance.wasm-operator.dev/v1/namespaces/ct/conformancetests';

let fx: HostFixture;
before(async () => {
  fx = await HostFixture.start();
  await fx.apply(`${crd}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ct\n`);
});
after(async () => fx.stop());

test('a conformance test resource is reconciled by the AssemblyScript guest in a real host', async () => {
  const { wasm } = await buildOperator(guest, { manifest });
  await fx.run('conformance', wasm, { idlePolicy: 'immediate' });
  await fx.request('POST', tests, { apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest', metadata: { name: 'one' }, spec: { steps: [{ op: 'counter' }, { op: 'config', key: 'greeting' }] } });
  const done = await fx.waitFor<{ status?: { results?: unknown[] } }>(`${tests}/one`, (b) => b.status?.results !== undefined);
  assert.deepEqual(done.status?.results, [{ value: 1 }, { value: 'hello from the manifest' }]);
});
