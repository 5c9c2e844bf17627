/**
 * webapp end to end, for one SDK's build of it: the module built from source runs in a real
 * host against the embedded API server, and the test sees what a cluster user sees. Each
 * version's `webapp.e2e.test.ts` (AssemblyScript here, `js/`, `go/`) calls it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOperator, type BuildOptions } from '../../src/build/index.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';

const APPS = '/apis/example.com/v1/namespaces/shop/webapps';
const DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/web';
const SERVICE = '/api/v1/namespaces/shop/services/web';

interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
interface WebApp {
  metadata: { uid: string; generation: number; finalizers?: string[] };
  status?: { observedGeneration?: number; readyReplicas?: number; conditions?: Condition[] };
}
interface Owned {
  metadata: { ownerReferences?: Array<{ uid: string; controller: boolean; kind: string }> };
  spec: { replicas?: number; template?: { spec: { containers: Array<{ image: string }> } }; ports?: Array<{ port: number }> };
}

export interface ExampleBuild {
  /** The SDK's name, for test names. */
  sdk: string;
  /** The entry, relative to the example's folder. */
  entry: string;
  options?: BuildOptions;
  /** The operator's memory limit (the Go runtime needs more than the default). */
  memoryLimit?: string;
}

const ready = (app: WebApp) => app.status?.conditions?.find((c) => c.type === 'Ready');

export function webappEndToEnd(build: ExampleBuild): void {
  describe(`webapp (${build.sdk}) in a real host`, () => {
    let fx: HostFixture;
    before(async () => {
      const { wasm } = await buildOperator(fileURLToPath(new URL(build.entry, import.meta.url)), build.options);
      fx = await HostFixture.start();
      await fx.apply(await readFile(new URL('crd.yaml', import.meta.url), 'utf8'));
      await fx.apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
      await fx.run('webapp', wasm, { idlePolicy: 'immediate', ...(build.memoryLimit === undefined ? {} : { memoryLimit: build.memoryLimit }) });
    });
    after(async () => fx.stop());

    test('a WebApp becomes an owned Deployment and Service, a finalizer and a Ready condition that follows the Deployment', async () => {
      const created = await fx.request('POST', APPS, { apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'web' }, spec: { replicas: 2 } });
      assert.equal(created.status, 201, created.text);
      const uid = (created.body as WebApp).metadata.uid;

      const deployment = await fx.waitFor<Owned>(DEPLOYMENT, (_, status) => status === 200);
      assert.deepEqual(deployment.metadata.ownerReferences?.map((r) => [r.kind, r.uid, r.controller]), [['WebApp', uid, true]]);
      assert.equal(deployment.spec.replicas, 2);
      assert.equal(deployment.spec.template?.spec.containers[0]?.image, 'nginx:1.27'); // the manifest's defaultImage
      const service = await fx.waitFor<Owned>(SERVICE, (_, status) => status === 200);
      assert.equal(service.metadata.ownerReferences?.[0]?.uid, uid);

      const notReady = await fx.waitFor<WebApp>(`${APPS}/web`, (app) => ready(app)?.status === 'False');
      assert.deepEqual(notReady.metadata.finalizers, ['example.com/webapp-cleanup']);
      assert.equal(ready(notReady)?.message, '0/2 replicas ready');

      // No Deployment controller runs here: play its part, and the owned object's change wakes the operator.
      const status = await fx.request('PATCH', `${DEPLOYMENT}/status`, { status: { replicas: 2, readyReplicas: 2 } }, 'application/merge-patch+json');
      assert.equal(status.status, 200, status.text);
      const isReady = await fx.waitFor<WebApp>(`${APPS}/web`, (app) => ready(app)?.status === 'True');
      assert.equal(isReady.status?.readyReplicas, 2);
      assert.notEqual(ready(isReady)?.lastTransitionTime, undefined);
    });

    test('a changed spec is rolled into the Deployment, and drift is put back', async () => {
      const patched = await fx.request('PATCH', `${APPS}/web`, { spec: { image: 'nginx:1.28', replicas: 3 } }, 'application/merge-patch+json');
      assert.equal(patched.status, 200, patched.text);
      await fx.waitFor<Owned>(DEPLOYMENT, (d) => d.spec.replicas === 3 && d.spec.template?.spec.containers[0]?.image === 'nginx:1.28');

      const tampered = await fx.request('PATCH', DEPLOYMENT, { spec: { replicas: 9 } }, 'application/merge-patch+json');
      assert.equal(tampered.status, 200, tampered.text);
      await fx.waitFor<Owned>(DEPLOYMENT, (d) => d.spec.replicas === 3);
      await fx.waitFor<WebApp>(`${APPS}/web`, (app) => app.status?.observedGeneration === app.metadata.generation);
    });

    test('deleting the WebApp deletes its children first, then the finalizer lets it go; the operator slept between events', async () => {
      const deleted = await fx.request('DELETE', `${APPS}/web`);
      assert.ok(deleted.status === 200 || deleted.status === 202, deleted.text);
      await fx.waitFor(`${APPS}/web`, (_, status) => status === 404);
      assert.equal((await fx.request('GET', DEPLOYMENT)).status, 404);
      assert.equal((await fx.request('GET', SERVICE)).status, 404);
      const op = fx.host!.operators().find((r) => r.name === 'default/webapp');
      assert.equal(op?.failures, 0, op?.lastError ?? '');
      assert.ok((op?.suspensions ?? 0) > 0 && (op?.wakeUps ?? 0) > 1, 'it was suspended to disk and woken again');
    });
  });
}
