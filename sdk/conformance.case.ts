/**
 * The conformance guest's behaviour, checked through the imports: one suite that every SDK's
 * guest runs (sdk/<sdk>/conformance.test.ts). It pins the exact payloads each step sends; the
 * conformance suite (test/conformance/) runs the same guests in the real host against the
 * embedded API server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbiHarness, type HarnessHandlers, type KubeRequest } from './test/abi-harness.ts';

const TESTS = '/apis/conformance.wasm-operator.dev/v1/namespaces/ct/conformancetests';

function conformanceTest(steps: unknown[], status?: unknown) {
  return {
    apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest',
    metadata: { name: 't1', namespace: 'ct', uid: 'uid-t1', resourceVersion: '10', generation: 2 },
    spec: { steps }, ...(status === undefined ? {} : { status }),
  };
}

const request = { apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest', namespace: 'ct', name: 't1' };

/** The status the guest wrote last (a merge patch on the status subresource). */
function lastStatus(requests: KubeRequest[]): { observedGeneration: number; results: Array<Record<string, unknown>>; conditions: Array<Record<string, unknown>> } {
  const write = requests.findLast((r) => r.path === `${TESTS}/t1/status`);
  assert.ok(write, 'the guest wrote no status');
  assert.equal(write.method, 'PATCH');
  assert.equal(write.contentType, 'application/merge-patch+json');
  return (write.body as { status: ReturnType<typeof lastStatus> }).status;
}

/** Registers the suite for one SDK's guest; `module` builds it (once, ideally). */
export function conformanceCases(sdk: string, module: () => Promise<Uint8Array>): void {
  const guest = async (handlers: HarnessHandlers) => AbiHarness.load(await module(), handlers);
  const test_ = (name: string, fn: () => Promise<void>): void => {
    test(`${sdk}: ${name}`, fn);
  };

  test_('init answers done and keeps the config; the ABI version is 1', async () => {
    const g = await guest({});
    assert.equal(await g.abiVersion(), 1);
    assert.deepEqual(await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: { greeting: 'hi' } }), { kind: 'done' });
  });

  test_('a test that is gone is done without a request', async () => {
    const g = await guest({ cacheGet: () => null });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(g.requests, []);
  });

  test_('a test whose status already observed its generation is done without running its steps', async () => {
    const g = await guest({ cacheGet: () => conformanceTest([{ op: 'counter' }, { op: 'trap' }], { observedGeneration: 2, results: [] }) });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(g.requests, []);
  });

  test_('cache, config, env, counter and log steps record what the SDK read', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ct', resourceVersion: '7' } };
    const steps = [
      { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'a' },
      { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'missing' },
      { op: 'list', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', labelSelector: 'app=x' },
      { op: 'config', key: 'greeting' }, { op: 'config', key: 'absent' },
      { op: 'env', name: 'MODE' }, { op: 'env', name: 'UNSET' },
      { op: 'counter' }, { op: 'counter' },
      { op: 'log', level: 'warn', message: 'hello', fields: { n: 1 } },
    ];
    const lists: unknown[] = [];
    const g = await guest({
      env: { MODE: 'test' },
      cacheGet: (ref) => (ref.kind === 'ConformanceTest' ? conformanceTest(steps) : ref.name === 'a' ? cm : null),
      cacheList: (q) => {
        lists.push(q);
        return [cm, { metadata: { name: 'b', namespace: 'other' } }];
      },
      kube: () => ({ status: 200, body: {} }),
    });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: { greeting: 'hi' } });
    assert.deepEqual(await g.reconcile(request), { kind: 'done' });
    assert.deepEqual(lists, [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', labelSelector: 'app=x' }]);
    const status = lastStatus(g.requests);
    assert.equal(status.observedGeneration, 2);
    assert.deepEqual(status.results, [
      { found: true, resourceVersion: '7' }, { found: false }, { names: ['ct/a', 'other/b'] },
      { value: 'hi' }, { value: null }, { value: 'test' }, { value: null },
      { value: 1 }, { value: 2 }, {},
    ]);
    assert.deepEqual(g.logs, [{ level: 'warn', message: 'hello', fields: { n: 1 } }]);
    // the counter lives in guest memory: the next call continues from it
    await g.reconcile(request);
    assert.deepEqual(lastStatus(g.requests).results.slice(7, 9), [{ value: 3 }, { value: 4 }]);
  });

  test_('write steps become the API requests docs/abi.md describes', async () => {
    const steps = [
      { op: 'create', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ct' }, data: { k: 'v' } } },
      { op: 'update', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'c', set: { data: { k: 'w' } } },
      { op: 'patch', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'c', patchType: 'merge', patch: { data: { m: '1' } } },
      { op: 'patch', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'c', patchType: 'json', patch: [{ op: 'remove', path: '/data/m' }] },
      { op: 'patch', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ct', name: 'd', patchType: 'strategic', patch: { spec: { replicas: 2 } } },
      { op: 'patch', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'c', patchType: 'apply', patch: { data: { s: 'a' } } },
      { op: 'delete', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ct', name: 'c' },
      { op: 'ownConfigMap', name: 'owned', data: { x: 'y' } },
      { op: 'create', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ct' } } },
    ];
    const g = await guest({
      cacheGet: () => conformanceTest(steps),
      kube: (r) => {
        if (r.path.includes('/secrets')) return { status: 403, body: { kind: 'Status', reason: 'Forbidden', message: 'operator conf may not create secrets' } };
        if (r.method === 'GET') return { status: 200, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ct', resourceVersion: '5' }, data: { k: 'v' } } };
        return { status: r.method === 'POST' ? 201 : 200, body: {} };
      },
    });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    await g.reconcile(request);
    const cms = '/api/v1/namespaces/ct/configmaps';
    const fm = { fieldManager: 'conf' };
    const json = 'application/json';
    assert.deepEqual(g.requests.slice(0, -1), [
      { method: 'POST', path: cms, query: fm, contentType: json, body: steps[0]!.object },
      { method: 'GET', path: `${cms}/c`, query: {}, contentType: json },
      { method: 'PUT', path: `${cms}/c`, query: fm, contentType: json, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ct', resourceVersion: '5' }, data: { k: 'w' } } },
      { method: 'PATCH', path: `${cms}/c`, query: fm, contentType: 'application/merge-patch+json', body: { data: { m: '1' } } },
      { method: 'PATCH', path: `${cms}/c`, query: fm, contentType: 'application/json-patch+json', body: [{ op: 'remove', path: '/data/m' }] },
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/ct/deployments/d', query: fm, contentType: 'application/strategic-merge-patch+json', body: { spec: { replicas: 2 } } },
      { method: 'PATCH', path: `${cms}/c`, query: { fieldManager: 'conformance', force: 'true' }, contentType: 'application/apply-patch+yaml',
        body: { data: { s: 'a' }, apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ct' } } },
      { method: 'DELETE', path: `${cms}/c`, query: {}, contentType: json },
      { method: 'POST', path: cms, query: fm, contentType: json, body: {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'owned', namespace: 'ct', ownerReferences: [{ apiVersion: 'conformance.wasm-operator.dev/v1', kind: 'ConformanceTest', name: 't1', uid: 'uid-t1', controller: true, blockOwnerDeletion: true }] },
        data: { x: 'y' },
      } },
      { method: 'POST', path: '/api/v1/namespaces/ct/secrets', query: fm, contentType: json, body: steps[8]!.object },
    ]);
    assert.deepEqual(lastStatus(g.requests).results, [
      { status: 201 }, { status: 200 }, { status: 200 }, { status: 200 }, { status: 200 }, { status: 200 }, { status: 200 }, { status: 201 },
      { status: 403, message: 'operator conf may not create secrets' },
    ]);
  });

  test_('finalizer steps update the test object, re-reading it after a conflict, and answer 0 when nothing changes', async () => {
    const steps = [{ op: 'addFinalizer', finalizer: 'x/f' }, { op: 'addFinalizer', finalizer: 'x/f' }, { op: 'removeFinalizer', finalizer: 'x/g' }, { op: 'removeFinalizer', finalizer: 'x/f' }];
    let puts = 0;
    const g = await guest({
      cacheGet: () => conformanceTest(steps),
      kube: (r) => {
        if (r.method === 'PUT') {
          puts++;
          if (puts === 1) return { status: 409, body: { kind: 'Status', reason: 'Conflict', message: 'stale' } };
          const body = r.body as { metadata: Record<string, unknown> };
          return { status: 200, body: { ...body, metadata: { ...body.metadata, resourceVersion: String(20 + puts) } } };
        }
        if (r.method === 'GET') return { status: 200, body: { ...conformanceTest(steps), metadata: { ...conformanceTest(steps).metadata, resourceVersion: '11' } } };
        return { status: 200, body: {} };
      },
    });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    await g.reconcile(request);
    const puts_ = g.requests.filter((r) => r.method === 'PUT').map((r) => (r.body as { metadata: { resourceVersion: string; finalizers?: string[] } }).metadata);
    assert.deepEqual(puts_.map((m) => [m.resourceVersion, m.finalizers]), [['10', ['x/f']], ['11', ['x/f']], ['22', []]]);
    assert.deepEqual(lastStatus(g.requests).results, [{ status: 200 }, { status: 0 }, { status: 0 }, { status: 200 }]);
  });

  test_('a condition keeps its lastTransitionTime until its status changes', async () => {
    const old = { type: 'Ready', status: 'True', reason: 'Old', message: 'm', lastTransitionTime: '2020-01-01T00:00:00Z', observedGeneration: 1 };
    const other = { type: 'Other', status: 'False', reason: 'R', message: '', lastTransitionTime: '2021-01-01T00:00:00Z' };
    let steps: unknown[] = [{ op: 'condition', type: 'Ready', status: 'True', reason: 'New', message: 'fine' }];
    const g = await guest({
      nowMs: () => Date.parse('2026-05-06T07:08:09Z'),
      cacheGet: () => conformanceTest(steps, { conditions: [old, other] }),
      kube: () => ({ status: 200, body: {} }),
    });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    await g.reconcile(request);
    assert.deepEqual(lastStatus(g.requests).conditions, [
      { type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: '2020-01-01T00:00:00Z', reason: 'New', message: 'fine' },
      other,
    ]);
    steps = [{ op: 'condition', type: 'Ready', status: 'False', reason: 'Broken', message: 'no' }, { op: 'condition', type: 'Fresh', status: 'Unknown', reason: 'Start', message: '' }];
    await g.reconcile(request);
    assert.deepEqual(lastStatus(g.requests).conditions, [
      { type: 'Ready', status: 'False', observedGeneration: 2, lastTransitionTime: '2026-05-06T07:08:09Z', reason: 'Broken', message: 'no' },
      other,
      { type: 'Fresh', status: 'Unknown', observedGeneration: 2, lastTransitionTime: '2026-05-06T07:08:09Z', reason: 'Start', message: '' },
    ]);
  });

  test_('outcome steps choose the result; the last one wins', async () => {
    let steps: unknown[] = [{ op: 'requeueAfter', delayMs: 1500 }];
    const g = await guest({ cacheGet: () => conformanceTest(steps), kube: () => ({ status: 200, body: {} }) });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    assert.deepEqual(await g.reconcile(request), { kind: 'requeueAfter', delayMs: 1500 });
    steps = [{ op: 'requeueAfter', delayMs: 5 }, { op: 'fail', message: 'nope', terminal: true }];
    assert.deepEqual(await g.reconcile(request), { kind: 'failed', message: 'nope', terminal: true });
    assert.deepEqual(lastStatus(g.requests).results, [{}, {}]);
  });

  test_('trap ends the call with a wasm trap and writes no status', async () => {
    const g = await guest({ cacheGet: () => conformanceTest([{ op: 'counter' }, { op: 'trap' }]), kube: () => ({ status: 200, body: {} }) });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    await assert.rejects(g.reconcile(request), /unreachable|memory access out of bounds/);
    assert.equal(g.requests.length, 0);
  });

  test_('grow allocates and touches memory, and survives when memory allows', async () => {
    const g = await guest({ cacheGet: () => conformanceTest([{ op: 'grow', bytes: 4 * 1024 * 1024 }]), kube: () => ({ status: 200, body: {} }) });
    await g.init({ abiVersion: 1, operator: { name: 'conf' }, config: {} });
    const before = g.memoryBytes;
    await g.reconcile(request);
    assert.ok(g.memoryBytes >= before + 4 * 1024 * 1024);
    assert.deepEqual(lastStatus(g.requests).results, [{}]);
  });
}
