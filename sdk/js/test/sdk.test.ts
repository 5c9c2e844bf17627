// The JS SDK running in the real engine (built from source by the project's own toolchain),
// driven through the ABI the way the host drives it.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildJsOperator } from '../../../src/build/toolchains/js.ts';
import { startOperator } from '../../test/abi-harness.ts';
import type { HarnessHandlers, KubeRequest } from '../../test/abi-harness.ts';
import type { GuestLogRecord } from '../../../src/abi/index.ts';

const cacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const ns = 'ns';
const req = (name: string): Record<string, string> => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
const configMap = (name: string, labels: Record<string, string> = {}): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, uid: `uid-${name}`, resourceVersion: '1', labels },
});
const fieldsOf = (logs: GuestLogRecord[], message: string): Record<string, unknown> | undefined => logs.find((l) => l.message === message)?.fields;

describe('the JS SDK in the engine', () => {
  let wasm: Uint8Array;

  before(async () => {
    wasm = (await buildJsOperator(fixture('sdk-exercise.ts'), { cacheDir })).module;
  });

  /** A started instance of the exercise operator (image restored, wo_init run) and init's outcome. */
  const start = (handlers: HarnessHandlers & { objects?: Record<string, unknown>[] } = {}, config: Record<string, unknown> = {}) =>
    startOperator(wasm, handlers, config);

  test('a handler that returns nothing is done, and module state lives across calls', async () => {
    const guest = await start();
    assert.deepEqual(await guest.reconcile(req('counter')), { kind: 'done' });
    await guest.reconcile(req('counter'));
    assert.deepEqual(guest.logs.filter((l) => l.message === 'counted').map((l) => l.fields?.calls), [1, 2]);
  });

  test('returned results reach set_result; delays round up to whole milliseconds', async () => {
    const guest = await start();
    assert.deepEqual(await guest.reconcile(req('requeue')), { kind: 'requeueAfter', delayMs: 1501 });
    assert.deepEqual(await guest.reconcile(req('fail')), { kind: 'failed', message: 'nope', terminal: true });
  });

  test('a thrown error is a retryable failure, logged with its stack', async () => {
    const guest = await start();
    assert.deepEqual(await guest.reconcile(req('throw')), { kind: 'failed', message: 'boom', terminal: false });
    const line = guest.logs.find((l) => l.level === 'error');
    assert.match(line?.message ?? '', /boom/);
    assert.match(String(line?.fields?.stack), /reconcile/);
  });

  test('a value that is not a Result fails the call and says so', async () => {
    const guest = await start();
    const result = await guest.reconcile(req('bad-result')) as { kind: string; message: string };
    assert.equal(result.kind, 'failed');
    assert.match(result.message, /not a Result/);
  });

  test('async handlers settle before the call returns', async () => {
    const guest = await start();
    assert.deepEqual(await guest.reconcile(req('async')), { kind: 'requeueAfter', delayMs: 7 });
    assert.deepEqual(await guest.reconcile(req('async-throw')), { kind: 'failed', message: 'async boom', terminal: false });
    const never = await guest.reconcile(req('never')) as { kind: string; message: string };
    assert.equal(never.kind, 'failed');
    assert.match(never.message, /never settled/);
  });

  test('init receives the config; config(), operatorName() and env() read it back', async () => {
    const guest = await start({ env: { HOME: '/home/op' } }, { replicas: 3 });
    await guest.reconcile(req('config'));
    assert.deepEqual(fieldsOf(guest.logs, 'config'), {
      config: { replicas: 3 }, init: { replicas: 3 }, name: 'test-operator', home: '/home/op', missing: null,
    });
  });

  test('init can fail the operator', async () => {
    const guest = await start({}, { failInit: true });
    assert.deepEqual(guest.initResult, { kind: 'failed', message: 'init refused', terminal: true });
  });

  test('cache get and list go to the host cache with the ABI query shapes', async () => {
    const guest = await start({
      objects: [configMap('cache'), configMap('web-a', { app: 'web' }), configMap('web-b', { app: 'web' }), configMap('db', { app: 'db' })],
    });
    await guest.reconcile(req('cache'));
    assert.deepEqual(fieldsOf(guest.logs, 'cache'), { one: 'cache', all: ['web-a', 'web-b'] });
  });

  test('API helpers build the paths, verbs, content types and queries the API server expects; writes name the operator as field manager', async () => {
    const guest = await start({
      kube: (call) => {
        if (call.method === 'GET' && call.path.endsWith('/gone')) return { status: 404, body: { kind: 'Status', reason: 'NotFound' } };
        if (call.method === 'DELETE') return { status: 404, body: { kind: 'Status', reason: 'NotFound' } };
        if (call.path.includes('/conflicted')) return { status: 409, body: { kind: 'Status', reason: 'Conflict', message: 'changed' } };
        return { status: 200, body: (call.body as object | undefined) ?? { items: [] } };
      },
    });
    assert.deepEqual(await guest.reconcile(req('api')), { kind: 'done' });
    const calls = guest.requests.map((c: KubeRequest) => [c.method, c.path, c.contentType, JSON.stringify(c.query)]);
    assert.deepEqual(calls, [
      ['POST', '/api/v1/namespaces/ns/configmaps', 'application/json', '{"fieldManager":"test"}'],
      ['GET', '/apis/apps/v1/namespaces/ns/deployments/gone', 'application/json', '{}'],
      ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/web', 'application/merge-patch+json', '{"fieldManager":"test-operator"}'],
      ['PATCH', '/api/v1/namespaces/ns/services/web', 'application/apply-patch+yaml', '{"fieldManager":"test","force":"true"}'],
      ['DELETE', '/api/v1/namespaces/ns/configmaps/gone', 'application/json', '{}'],
      ['GET', '/apis/networking.k8s.io/v1/namespaces/ns/ingresses', 'application/json', '{"labelSelector":"a=b"}'],
      ['PUT', '/apis/example.com/v1/namespaces/ns/webapps/web/status', 'application/json', '{"fieldManager":"test-operator"}'],
      ['PUT', '/apis/example.com/v1/namespaces/ns/webapps/conflicted', 'application/json', '{"fieldManager":"test-operator"}'],
    ]);
    const created = guest.requests[0]?.body as { metadata: { ownerReferences: unknown[] } };
    assert.deepEqual(created.metadata.ownerReferences, [
      { apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(fieldsOf(guest.logs, 'api'), { missing: null, deleted: false, conflict: true });
  });

  test('finalizer helpers update the object only when something changes', async () => {
    const guest = await start({
      objects: [configMap('finalizers')],
      kube: (call) => ({ status: 200, body: call.body }),
    });
    await guest.reconcile(req('finalizers'));
    assert.deepEqual(guest.requests.map((c) => c.method), ['PUT', 'PUT']);
    assert.deepEqual(fieldsOf(guest.logs, 'finalizers'), { added: ['example.com/cleanup'], removed: [] });
  });

  test('conditions keep their transition time while the status stays the same', async () => {
    const guest = await start();
    await guest.reconcile(req('conditions'));
    const { a, b } = fieldsOf(guest.logs, 'conditions') as { a: { lastTransitionTime: string }[]; b: { lastTransitionTime: string; reason: string }[] };
    assert.equal(a[0]?.lastTransitionTime, '2024-01-01T00:00:00Z');
    assert.equal(b[0]?.lastTransitionTime, '2024-01-01T00:00:00Z');
    assert.equal(b[0]?.reason, 'Still');
  });

  test('console, crypto, TextEncoder/TextDecoder work; instances of one image draw different randoms', async () => {
    const one = await start();
    const two = await start();
    await one.reconcile(req('globals'));
    await two.reconcile(req('globals'));
    assert.deepEqual(one.logs[0], { level: 'info', message: 'hello {"n":1}', fields: {} });
    const a = fieldsOf(one.logs, 'globals') as { uuid: string; random: number; utf8: number[]; back: string; bad: string };
    const b = fieldsOf(two.logs, 'globals') as { uuid: string; random: number };
    assert.match(a.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(a.utf8, [...Buffer.from('é🌍')]);
    assert.equal(a.back, 'é🌍');
    assert.equal(a.bad, 'a\ufffd\ufffd');
    assert.notEqual(a.random, b.random);
    assert.notEqual(a.uuid, b.uuid);
  });

  test('numbers print exactly as in V8, ties included (WebAssembly has no rounding modes)', async () => {
    const guest = await start();
    await guest.reconcile(req('numbers'));
    const values = [0.5, 2.5, -2.5, 0.125, 1.005, 1.45, 9.995, 99.5, 0.000125, 123456.789, -0, 1e21, 5e-7];
    const expected = values.map((v) => [v.toFixed(0), v.toFixed(2), v.toPrecision(2), v.toExponential(1), String(v)]);
    assert.deepEqual(fieldsOf(guest.logs, 'numbers'), { printed: expected });
  });

  test('runaway recursion fails the call with "stack overflow", instead of trapping or corrupting memory', async () => {
    const guest = await start();
    const result = await guest.reconcile(req('recursion')) as { kind: string; message: string };
    assert.equal(result.kind, 'failed');
    assert.match(result.message, /stack overflow/);
    assert.deepEqual(await guest.reconcile(req('requeue')), { kind: 'requeueAfter', delayMs: 1501 });
  });

  test('running past the memory limit fails the call with the host\'s memory-limit error', async () => {
    const guest = await start({ maxMemoryBytes: 16 * 1024 * 1024 });
    await assert.rejects(guest.reconcile(req('oom')), { code: 'GUEST_MEMORY_LIMIT', message: /above its limit of 16777216 bytes/ });
  });

  test('abort() traps after logging its message', async () => {
    const guest = await start();
    await assert.rejects(guest.reconcile(req('abort')), { code: 'GUEST_TRAP' });
    assert.deepEqual(guest.logs.at(-1), { level: 'error', message: 'state is corrupt', fields: {} });
  });
});
