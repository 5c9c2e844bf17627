/**
 * What the host does to stay small, seen from outside: operators that watch one namespace
 * each share one informer of all namespaces, and once operators are suspended and the host
 * is quiet, it collects garbage so the memory goes back to the OS.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { exampleModule } from '../examples/example-guest.ts';
import { HostFixture } from './support/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await HostFixture.start();
  await fx.apply(await readFile(new URL('../examples/ring/crd.yaml', import.meta.url), 'utf8'));
  for (const ns of ['ring-0', 'ring-1']) await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
  await fx.startHost({ idleCollection: { delayMs: 50 } });
});
after(async () => fx.stop());

test('operators watching one namespace each share one watch; once they are suspended and the host is quiet, it collects garbage', async () => {
  const wasm = await exampleModule('ring');
  for (const index of [0, 1]) {
    await fx.run(`ring-${index}`, wasm, {
      watches: [{ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: `ring-${index}` }],
      config: { index, size: 2 },
      idlePolicy: 'immediate',
    });
  }
  await fx.until('both operators are suspended', () => fx.host!.operators().every((op) => op.phase === 'suspended'));
  assert.deepEqual(fx.host!.informerHealth().map((i) => [i.key, i.subscribers]), [['ring.wasm-operator.dev/v1/testresources', 2]]);
  await fx.until('an idle collection', () => fx.logs.some((l) => l.event === 'host.idle-gc'));
  const gc = fx.logs.find((l) => l.event === 'host.idle-gc')!;
  assert.equal(typeof gc.fields.freedBytes, 'number');
  assert.ok((gc.fields.ms as number) >= 0);
});
