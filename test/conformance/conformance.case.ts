/**
 * The ABI conformance suite (docs/abi.md, "Conformance"): one SDK's conformance guest runs in
 * a real host against the embedded API server, and each case checks what the ABI promises
 * through what a cluster user would see: objects on the server, the operator's phase and
 * counters, and the host's logs. Every SDK's test file calls `conformanceSuite` with its guest.
 *
 * Each case gets its own namespace and its own operator watching only that namespace, so a
 * guest that traps or loops in one case cannot disturb another.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { OperatorReport, WasmOperator } from '../../src/runtime/index.ts';
import { HostFixture } from '../support/host-fixture.ts';

const group = 'conformance.wasm-operator.dev';
const crd = await readFile(new URL('./crd.yaml', import.meta.url), 'utf8');

type Step = Record<string, unknown>;
type Entry = Record<string, unknown>;
interface ConformanceStatus {
  observedGeneration?: number;
  results?: Entry[];
  conditions?: Array<{ type: string; status: string; reason: string; message: string; lastTransitionTime: string }>;
}
interface ConformanceTest {
  metadata: { name: string; uid: string; generation: number; finalizers?: string[]; deletionTimestamp?: string };
  spec: { steps: Step[] };
  status?: ConformanceStatus;
}

export interface SuiteOptions {
  /** Memory limit for the guest (a quantity); the Go runtime needs more than the others. */
  memoryLimit?: string;
}

export function conformanceSuite(sdk: string, guest: () => Promise<Uint8Array>, options: SuiteOptions = {}): void {
  describe(`ABI conformance: ${sdk}`, () => {
    let fx: HostFixture;
    let wasm: Uint8Array;

    before(async () => {
      wasm = await guest();
      fx = await HostFixture.start();
      await fx.apply(crd);
      await fx.startHost();
    });
    after(async () => fx.stop());

    /** A namespace of the case's own, and an operator reconciling ConformanceTests in it only. */
    async function operatorFor(name: string, spec: Partial<WasmOperator['spec']> = {}, prepare?: (namespace: string) => Promise<void>) {
      const namespace = `${sdk}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`);
      // Objects made before the operator starts are in its caches when its first reconcile runs.
      await prepare?.(namespace);
      await fx.run(namespace, wasm, {
        watches: [{ apiVersion: `${group}/v1`, kind: 'ConformanceTest', namespace }],
        idlePolicy: 'immediate',
        reconcileTimeout: '2s',
        ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
        ...spec,
      });
      const tests = `/apis/${group}/v1/namespaces/${namespace}/conformancetests`;
      const report = (): OperatorReport => {
        const found = fx.host!.operators().find((r) => r.name === `default/${namespace}`);
        assert.ok(found, `operator default/${namespace} is not running; problems: ${JSON.stringify(fx.host!.problems())}`);
        return found;
      };
      return {
        namespace,
        tests,
        report,
        /** Creates (or updates the steps of) a test and waits until the guest has recorded this generation. */
        async run(testName: string, steps: Step[]): Promise<ConformanceTest> {
          const existing = await fx.request('GET', `${tests}/${testName}`);
          const response =
            existing.status === 404
              ? await fx.request('POST', tests, { apiVersion: `${group}/v1`, kind: 'ConformanceTest', metadata: { name: testName }, spec: { steps } })
              : await fx.request('PATCH', `${tests}/${testName}`, { spec: { steps } }, 'application/merge-patch+json');
          assert.ok(response.ok, `writing the test answered ${response.status}: ${response.text}`);
          const generation = (response.body as ConformanceTest).metadata.generation;
          return fx.waitFor<ConformanceTest>(`${tests}/${testName}`, (t) => (t.status?.observedGeneration ?? 0) >= generation);
        },
        /** Creates a test without waiting for a status (for steps that end the call). */
        async start(testName: string, steps: Step[]): Promise<void> {
          const response = await fx.request('POST', tests, { apiVersion: `${group}/v1`, kind: 'ConformanceTest', metadata: { name: testName }, spec: { steps } });
          assert.ok(response.ok, `creating the test answered ${response.status}: ${response.text}`);
        },
      };
    }

    test('reads the cache, the init config and the WASI environment, and logs through the host', async () => {
      const op = await operatorFor('reads', { env: { MODE: 'conformance' } }, async (namespace) => {
        await fx.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } });
        await fx.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: 'b' } });
      });
      const done = await op.run('t', [
        { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: op.namespace, name: 'a' },
        { op: 'get', apiVersion: 'v1', kind: 'ConfigMap', namespace: op.namespace, name: 'missing' },
        { op: 'list', apiVersion: 'v1', kind: 'ConfigMap', namespace: op.namespace, labelSelector: 'app=x' },
        { op: 'config', key: 'greeting' },
        { op: 'config', key: 'absent' },
        { op: 'env', name: 'MODE' },
        { op: 'env', name: 'UNSET' },
        { op: 'log', level: 'warn', message: 'conformance says hello', fields: { n: 1 } },
      ]);
      const results = done.status!.results!;
      assert.equal(results[0]!.found, true);
      assert.equal(typeof results[0]!.resourceVersion, 'string');
      assert.equal(results[1]!.found, false);
      assert.deepEqual(results[2]!.names, [`${op.namespace}/a`]);
      // `null` values may be absent: the API server drops nulls inside a merge patch's arrays, as kube does.
      assert.deepEqual(results.slice(3, 7).map((r) => r.value ?? null), ['hello from the manifest', null, 'conformance', null]);
      const line = fx.logs.find((l) => l.event === 'guest.log' && l.fields.message === 'conformance says hello');
      assert.ok(line, 'the guest log line reached the host logger');
      assert.deepEqual([line.level, line.fields.operator, line.fields.n], ['warn', `default/${op.namespace}`, 1]);
    });

    test('writes through the API with every verb and patch type, and gets the server\'s status codes', async () => {
      const op = await operatorFor('writes');
      const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: op.namespace }, data });
      const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: op.namespace };
      const done = await op.run('t', [
        { op: 'create', object: cm('c1', { a: '1' }) },
        { op: 'create', object: cm('c1', { a: '1' }) },
        { op: 'update', ...ref, name: 'c1', set: { data: { a: '2' } } },
        { op: 'patch', ...ref, name: 'c1', patchType: 'merge', patch: { data: { b: 'merge' } } },
        { op: 'patch', ...ref, name: 'c1', patchType: 'json', patch: [{ op: 'add', path: '/data/c', value: 'json' }] },
        { op: 'patch', ...ref, name: 'c1', patchType: 'strategic', patch: { data: { d: 'strategic' } } },
        { op: 'patch', ...ref, name: 'c2', patchType: 'apply', patch: cm('c2', { e: 'apply' }) },
        { op: 'delete', ...ref, name: 'c2' },
        { op: 'delete', ...ref, name: 'c2' },
      ]);
      assert.deepEqual(done.status!.results!.map((r) => r.status), [201, 409, 200, 200, 200, 200, 201, 200, 404]);
      const c1 = await fx.request('GET', `/api/v1/namespaces/${op.namespace}/configmaps/c1`);
      assert.deepEqual((c1.body as { data: unknown }).data, { a: '2', b: 'merge', c: 'json', d: 'strategic' });
      assert.equal((await fx.request('GET', `/api/v1/namespaces/${op.namespace}/configmaps/c2`)).status, 404);
    });

    test('a request outside the operator\'s permissions gets 403 and never reaches the server', async () => {
      const op = await operatorFor('forbidden');
      const done = await op.run('t', [{ op: 'create', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: op.namespace }, stringData: { x: 'y' } } }]);
      assert.equal(done.status!.results![0]!.status, 403);
      assert.equal((await fx.request('GET', `/api/v1/namespaces/${op.namespace}/secrets/s`)).status, 404);
      assert.ok(fx.logs.some((l) => l.event === 'guest.request.forbidden' && l.fields.operator === `default/${op.namespace}`));
    });

    test('an owned object carries a controller reference, and a change to it reconciles the owner', async () => {
      const op = await operatorFor('owns');
      const done = await op.run('t', [{ op: 'ownConfigMap', name: 'child', data: { x: '1' } }]);
      // 409 when the child's own event reconciled the test again before the cache saw the status write.
      assert.ok([201, 409].includes(done.status!.results![0]!.status as number), JSON.stringify(done.status!.results));
      const child = (await fx.request('GET', `/api/v1/namespaces/${op.namespace}/configmaps/child`)).body as { metadata: { ownerReferences?: Array<Record<string, unknown>> } };
      assert.deepEqual(child.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]), [['ConformanceTest', 't', done.metadata.uid, true]]);
      await fx.host!.settled();
      const before = op.report().reconciles;
      await fx.request('DELETE', `/api/v1/namespaces/${op.namespace}/configmaps/child`);
      await fx.until('the owner is reconciled after its child is deleted', () => op.report().reconciles > before);
    });

    test('finalizers hold a deleted object until the guest removes them', async () => {
      const op = await operatorFor('finalizers');
      const added = await op.run('t', [{ op: 'addFinalizer', finalizer: 'conformance.wasm-operator.dev/cleanup' }]);
      // 0 (nothing to change) when the finalizer write's own event ran the steps again first.
      assert.ok([0, 200].includes(added.status!.results![0]!.status as number), JSON.stringify(added.status!.results));
      await fx.waitFor<ConformanceTest>(`${op.tests}/t`, (t) => t.metadata.finalizers?.includes('conformance.wasm-operator.dev/cleanup') === true);
      assert.equal((await fx.request('DELETE', `${op.tests}/t`)).status, 200);
      await fx.waitFor<ConformanceTest>(`${op.tests}/t`, (t) => t.metadata.deletionTimestamp !== undefined);
      await fx.request('PATCH', `${op.tests}/t`, { spec: { steps: [{ op: 'removeFinalizer', finalizer: 'conformance.wasm-operator.dev/cleanup' }] } }, 'application/merge-patch+json');
      await fx.waitFor(`${op.tests}/t`, (_body, status) => status === 404);
    });

    test('conditions keep their transition time until their status changes', async () => {
      const op = await operatorFor('conditions');
      const first = await op.run('t', [{ op: 'condition', type: 'Ready', status: 'True', reason: 'Fine', message: 'all good' }]);
      const ready = first.status!.conditions!.find((c) => c.type === 'Ready')!;
      assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'Fine', 'all good']);
      assert.match(ready.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const same = await op.run('t', [{ op: 'condition', type: 'Ready', status: 'True', reason: 'StillFine', message: 'still good' }]);
      assert.equal(same.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, ready.lastTransitionTime);
      const flipped = await op.run('t', [{ op: 'condition', type: 'Ready', status: 'False', reason: 'Broken', message: 'not good' }]);
      assert.notEqual(flipped.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, ready.lastTransitionTime);
    });

    test('guest memory survives suspension to disk and restore, reconcile after reconcile', async () => {
      const op = await operatorFor('memory');
      const values: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        await fx.until('the operator is suspended between reconciles', () => op.report().phase === 'suspended');
        const done = await op.run('t', [{ op: 'counter' }, { op: 'config', key: `round-${i}` }]);
        values.push(done.status!.results![0]!.value);
      }
      assert.deepEqual(values, [1, 2, 3]);
      assert.ok(op.report().wakeUps >= 3, `woken ${op.report().wakeUps} times`);
      assert.ok(op.report().snapshotBytes > 0);
    });

    test('a requeueAfter result reconciles the request again after the delay, by the host\'s timer', async () => {
      const op = await operatorFor('requeue');
      await op.run('t', [{ op: 'requeueAfter', delayMs: 300 }]);
      const reconciles = () => fx.logs.filter((l) => l.event === 'operator.reconciled' && l.fields.operator === `default/${op.namespace}`);
      const asked = reconciles().find((l) => l.fields.result === 'requeueAfter');
      assert.ok(asked, 'the guest asked for a requeue');
      // Other reconciles (the guest's own status write) may come sooner; the timer's comes after the delay.
      await fx.until('a reconcile 300 ms after the requeue', () => reconciles().some((l) => l.atMs >= asked.atMs + 300), 20_000);
    });

    test('a failed reconcile is retried with backoff; a terminal one is not', async () => {
      const op = await operatorFor('failures');
      await op.run('retry', [{ op: 'fail', message: 'try again', terminal: false }]);
      const attempts = (message: string) => fx.logs.filter((l) => l.event === 'operator.reconciled' && l.fields.operator === `default/${op.namespace}` && String(l.fields.error).includes(message)).length;
      await fx.until('the failure is retried', () => attempts('try again') >= 1);
      await op.run('final', [{ op: 'fail', message: 'give up', terminal: true }]);
      await fx.host!.settled();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(attempts('give up'), 1);
      const retried = fx.logs.filter((l) => l.event === 'operator.reconciled' && String(l.fields.request).endsWith('/retry'));
      assert.ok(retried.length >= 2, 'the retryable failure was reconciled again');
    });

    for (const [step, kind] of [
      [{ op: 'trap' }, 'trap'],
      [{ op: 'loop' }, 'deadline'],
      [{ op: 'grow', bytes: 512 * 1024 * 1024 }, 'memory limit'],
    ] as const) {
      test(`a guest that ends its call by ${kind} is marked failed and restarted, and other operators keep working`, async () => {
        const bad = await operatorFor(`bad-${step.op}`);
        const good = await operatorFor(`good-${step.op}`);
        await bad.start('t', [step]);
        await fx.until('the operator is marked failed', () => bad.report().phase === 'failed', 15_000);
        assert.ok(bad.report().lastError, 'the failure is reported');
        assert.ok(fx.logs.some((l) => l.event === 'operator.trapped' && l.fields.operator === `default/${bad.namespace}`));
        const meanwhile = await good.run('t', [{ op: 'counter' }]);
        assert.equal(meanwhile.status!.results![0]!.value, 1);
        await fx.until('the failed operator is loaded again after its crash-loop delay', () => bad.report().wakeUps >= 2, 15_000);
      });
    }

    test('a restarted host resumes suspended operators from disk with their memory', async () => {
      const op = await operatorFor('restart');
      const first = await op.run('t', [{ op: 'counter' }]);
      assert.equal(first.status!.results![0]!.value, 1);
      await fx.until('the operator is suspended', () => op.report().phase === 'suspended');
      await fx.host!.stop();
      await fx.startHost();
      await fx.run(op.namespace, wasm, {
        watches: [{ apiVersion: `${group}/v1`, kind: 'ConformanceTest', namespace: op.namespace }],
        idlePolicy: 'immediate',
        reconcileTimeout: '2s',
        ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
      });
      const coldStarts = () => fx.logs.filter((l) => l.event === 'operator.woke' && l.fields.operator === `default/${op.namespace}` && l.fields.from === 'cold').length;
      const before = coldStarts();
      const second = await op.run('t', [{ op: 'counter' }, { op: 'log', message: 'after restart' }]);
      assert.equal(second.status!.results![0]!.value, 2);
      assert.equal(coldStarts(), before, 'the new host restored the snapshot instead of starting cold');
    });
  });
}
