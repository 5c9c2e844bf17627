/**
 * ttl-cleaner end to end: objects are deleted when their ttl expires, by an operator that is
 * suspended to disk in between and woken by the timer it asked for.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';

const CONFIGMAPS = '/api/v1/namespaces/scratch/configmaps';

let fx: HostFixture;
before(async () => {
  const { wasm } = await buildOperator(fileURLToPath(new URL('./assembly/index.ts', import.meta.url)));
  fx = await HostFixture.start();
  await fx.apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: scratch\n');
  await fx.run('ttl-cleaner', wasm, { idlePolicy: 'immediate' });
});
after(async () => fx.stop());

function configMap(name: string, annotations: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data: { x: '1' } };
}

test('an object is deleted once its ttl has passed, by an operator that slept until then', async () => {
  for (const cm of [configMap('short', { ttl: '2s' }), configMap('long', { ttl: '1h' }), configMap('kept')]) {
    const created = await fx.request('POST', CONFIGMAPS, cm);
    assert.equal(created.status, 201, created.text);
  }
  const report = () => fx.host!.operators().find((r) => r.name === 'default/ttl-cleaner')!;
  await fx.until('the operator has seen them and gone to sleep', () => report().reconciles >= 3 && report().phase === 'suspended');
  const asleep = report().wakeUps;

  await fx.waitFor(`${CONFIGMAPS}/short`, (_, status) => status === 404, 15_000);
  assert.ok(report().wakeUps > asleep, 'the timer woke the suspended operator');
  assert.equal((await fx.request('GET', `${CONFIGMAPS}/long`)).status, 200);
  assert.equal((await fx.request('GET', `${CONFIGMAPS}/kept`)).status, 200);
  assert.equal(report().failures, 0, report().lastError ?? '');
});

test('an unreadable ttl is reported and the object left alone', async () => {
  const created = await fx.request('POST', CONFIGMAPS, configMap('odd', { ttl: 'soon' }));
  assert.equal(created.status, 201, created.text);
  const reported = () => fx.logs.some((l) => {
    const error = l.fields.error;
    return l.event === 'operator.reconciled' && (error instanceof Error ? error.message : String(error)).includes('cannot read ttl "soon" of scratch/odd');
  });
  await fx.until('the host logs the failed reconcile with the guest\'s message', reported);
  assert.equal((await fx.request('GET', `${CONFIGMAPS}/odd`)).status, 200);
});
