// The JS conformance guest, step by step, against the host's ABI session. The conformance
// suite (test/conformance/) runs the same guest against the embedded API server in a real host.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../../src/build/index.ts';
import { GuestHarness, withMemoryMaximum } from '../test/guest-harness.ts';
import type { HarnessOptions, KubeCall } from '../test/guest-harness.ts';

const toolsCacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));
const entry = fileURLToPath(new URL('./guest.ts', import.meta.url));
const manifest = fileURLToPath(new URL('../../../test/conformance/guest-manifest.yaml', import.meta.url));
const request = { apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest', namespace: 'ct', name: 't1' };

function conformanceTest(steps: Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest',
    metadata: { name: 't1', namespace: 'ct', uid: 'uid-t1', generation: 3, resourceVersion: '7' },
    spec: { steps },
  };
}

let wasm: Uint8Array;
let module: WebAssembly.Module;

before(async () => {
  wasm = (await buildOperator(entry, { lang: 'js', manifest, cacheDir: null, toolsCacheDir })).wasm;
  module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
});

async function run(steps: Record<string, unknown>[], options: HarnessOptions = {}, config: Record<string, unknown> = {}) {
  const guest = await GuestHarness.start(module, { ...options, objects: [conformanceTest(steps), ...(options.objects ?? [])] }, config);
  const result = await guest.reconcile(request);
  const statusWrite = guest.calls.find((c) => c.path.endsWith('/status'));
  const status = (statusWrite?.body as { status?: { results: Record<string, unknown>[]; conditions: unknown[]; observedGeneration: number } } | undefined)?.status;
  return { guest, result, status };
}

test('reads, writes and bookkeeping steps record their results and the status is written through the subresource', async () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ct', resourceVersion: '9', labels: { x: 'y' } } };
  const { result, status, guest } = await run([
    { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'a' },
    { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'missing' },
    { op: 'list', apiVersion: 'v1', kind: 'ConfigMap', labelSelector: 'x=y' },
    { op: 'create', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'ct' } } },
    { op: 'patch', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'a', patchType: 'apply', patch: { data: { k: 'v' } } },
    { op: 'ownConfigMap', name: 'owned', data: { k: 'v' } },
    { op: 'condition', type: 'Ready', status: 'True', reason: 'Done', message: 'ok' },
    { op: 'log', level: 'warn', message: 'hello', fields: { n: 1 } },
    { op: 'counter' },
    { op: 'counter' },
    { op: 'config', key: 'greeting' },
    { op: 'config', key: 'absent' },
    { op: 'env', name: 'MODE' },
    { op: 'requeueAfter', delayMs: 2500 },
  ], { objects: [cm], env: { MODE: 'test' }, kube: (call) => ({ status: call.method === 'POST' ? 201 : 200, body: call.body ?? {} }) }, { greeting: 'hi' });
  assert.deepEqual(result, { kind: 'requeueAfter', delayMs: 2500 });
  assert.deepEqual(status?.results, [
    { found: true, resourceVersion: '9' }, { found: false }, { names: ['ct/a'] }, { status: 201 }, { status: 200 }, { status: 201 },
    {}, {}, { value: 1 }, { value: 2 }, { value: 'hi' }, { value: null }, { value: 'test' }, {},
  ]);
  assert.equal(status?.observedGeneration, 3);
  assert.equal((status?.conditions[0] as { type: string }).type, 'Ready');
  const apply = guest.calls.find((c: KubeCall) => c.method === 'PATCH' && !c.path.endsWith('/status'));
  assert.deepEqual([apply?.contentType, apply?.query], ['application/apply-patch+yaml', { fieldManager: 'conformance', force: 'true' }]);
  const owned = guest.calls.filter((c) => c.method === 'POST')[1]?.body as { metadata: { ownerReferences: { uid: string }[] } };
  assert.equal(owned.metadata.ownerReferences[0]?.uid, 'uid-t1');
  assert.deepEqual(guest.logs.find((l) => l.message === 'hello'), { level: 'warn', message: 'hello', fields: { n: 1 } });
});

test('update reads, replaces top-level fields and PUTs; finalizer steps write only when something changes', async () => {
  const { status, guest } = await run([
    { op: 'update', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'a', set: { data: { k: 'new' } } },
    { op: 'removeFinalizer', finalizer: 'x/y' },
    { op: 'addFinalizer', finalizer: 'x/y' },
    { op: 'addFinalizer', finalizer: 'x/y' },
    { op: 'delete', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'gone' },
    { op: 'fail', message: 'asked to', terminal: true },
  ], {
    kube: (call) => {
      if (call.method === 'GET') return { status: 200, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ct' }, data: { k: 'old' } } };
      if (call.method === 'DELETE') return { status: 404, body: { kind: 'Status', reason: 'NotFound' } };
      return { status: 200, body: call.body };
    },
  });
  assert.deepEqual(status?.results, [{ status: 200 }, { status: 0 }, { status: 200 }, { status: 0 }, { status: 404 }, {}]);
  assert.deepEqual((guest.calls[1]?.body as { data: unknown }).data, { k: 'new' });
});

test('a missing test is done; trap ends the call with no status write; grow past the limit traps', async () => {
  const empty = await GuestHarness.start(module);
  assert.deepEqual(await empty.reconcile(request), { kind: 'done' });
  assert.deepEqual(empty.calls, []);

  const trapping = await GuestHarness.start(module, { objects: [conformanceTest([{ op: 'counter' }, { op: 'trap' }])] });
  await assert.rejects(trapping.reconcile(request), WebAssembly.RuntimeError);
  assert.deepEqual(trapping.calls, []);

  const capped = new WebAssembly.Module(withMemoryMaximum(wasm, 64));
  const growing = await GuestHarness.start(capped, { objects: [conformanceTest([{ op: 'grow', bytes: 1 << 20 }, { op: 'grow', bytes: 64 << 20 }])] });
  await assert.rejects(growing.reconcile(request), WebAssembly.RuntimeError);
  assert.deepEqual(growing.calls, []);
});
