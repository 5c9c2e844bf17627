/**
 * Between calls the AssemblyScript SDK zeroes the allocator's free memory (scrub.ts), reading
 * AssemblyScript's private TLSF layout. If an AssemblyScript upgrade moves that layout, the
 * garbage stays (or worse): this test notices.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { AbiHarness } from '../test/abi-harness.ts';

const GUEST = fileURLToPath(new URL('./conformance/assembly/index.ts', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));

test('memory a call allocated, filled and freed is zero once the call returns', async () => {
  const { wasm } = await buildOperator(GUEST, { manifest: MANIFEST });
  const test_ = {
    apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest',
    metadata: { name: 't', namespace: 'ct', generation: 1 }, spec: { steps: [{ op: 'grow', bytes: 1 << 20 }] },
  };
  const g = await AbiHarness.load(wasm, { cacheGet: () => test_, kube: () => ({ status: 200, body: {} }) });
  await g.init({ abiVersion: 1, operator: { name: 'scrub' }, config: {} });
  assert.deepEqual(await g.reconcile({ apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest', namespace: 'ct', name: 't' }), { kind: 'done' });
  const memory = g.memoryCopy();
  assert.ok(memory.length > 1 << 20, 'the step grew memory past 1 MiB');
  const ones = memory.reduce((n, b) => n + (b === 1 ? 1 : 0), 0);
  assert.ok(ones < 4096, `${ones} bytes still hold the freed fill`);
  const nonZero = memory.reduce((n, b) => n + (b === 0 ? 0 : 1), 0);
  assert.ok(nonZero < 64 * 1024, `${nonZero} non-zero bytes: more than the live data`);
});
