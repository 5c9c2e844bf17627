import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { builtinTypeInfo } from '../type-info/index.ts';
import { applyConflictMessage, applyConflictStatus, recordWrite, serverSideApply, type ApplyResult } from './index.ts';

const configMapType = builtinTypeInfo({ group: '', version: 'v1', kind: 'ConfigMap' })!;
const deploymentType = builtinTypeInfo({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const t0 = '2026-01-01T00:00:00Z';
const t1 = '2026-01-01T00:01:00Z';
const t2 = '2026-01-01T00:02:00Z';

function applied(result: ApplyResult): JsonObject {
  assert.equal(result.kind, 'applied', result.kind === 'conflict' ? applyConflictMessage(result.conflicts) : '');
  return (result as { object: JsonObject }).object;
}

function managedFieldsOf(object: JsonObject): JsonObject[] {
  return ((object.metadata as JsonObject).managedFields ?? []) as JsonObject[];
}

/** The ConfigMap of the Server-Side Apply documentation's "Field management" section. */
const testCm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } },
  data: { key: 'some value' },
};

test('the Server-Side Apply docs: an apply records exactly the fields it set, as fieldsV1', () => {
  const object = applied(serverSideApply(undefined, testCm, { fieldManager: 'kubectl', force: false, now: t0, typeInfo: configMapType }));
  assert.deepEqual(object, {
    ...testCm,
    metadata: {
      ...testCm.metadata,
      managedFields: [{
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: t0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } },
      }],
    },
  });
});

test('the Server-Side Apply docs: changing a field another manager set is a conflict, worded as kube words it', () => {
  const created = recordWrite(undefined, testCm, { fieldManager: 'kubectl-client-side-apply', operation: 'Update', now: t0, typeInfo: configMapType });
  const change = { ...testCm, data: { key: 'new value' } };
  const result = serverSideApply(created, change, { fieldManager: 'kubectl', force: false, now: t1, typeInfo: configMapType });
  assert.equal(result.kind, 'conflict');
  if (result.kind !== 'conflict') return;
  assert.equal(applyConflictMessage(result.conflicts), 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key');
  assert.deepEqual(applyConflictStatus(result.conflicts).details, {
    causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.key' }],
  });
});

test('applying the same value another manager set shares the field instead of conflicting', () => {
  const created = recordWrite(undefined, testCm, { fieldManager: 'kubectl-client-side-apply', operation: 'Update', now: t0, typeInfo: configMapType });
  const object = applied(serverSideApply(created, testCm, { fieldManager: 'kubectl', force: false, now: t1, typeInfo: configMapType }));
  assert.deepEqual(managedFieldsOf(object).map((e) => [e.manager, e.operation, e.fieldsV1]), [
    ['kubectl', 'Apply', { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } }],
    ['kubectl-client-side-apply', 'Update', { 'f:data': { '.': {}, 'f:key': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:test-label': {} } } }],
  ]);
});

test('force takes a conflicting field: the value changes and the old owner loses it', () => {
  const created = recordWrite(undefined, testCm, { fieldManager: 'kubectl-client-side-apply', operation: 'Update', now: t0, typeInfo: configMapType });
  const object = applied(serverSideApply(created, { ...testCm, data: { key: 'new value' } }, { fieldManager: 'kubectl', force: true, now: t1, typeInfo: configMapType }));
  assert.deepEqual(object.data, { key: 'new value' });
  const old = managedFieldsOf(object).find((e) => e.manager === 'kubectl-client-side-apply')!;
  assert.deepEqual(old.fieldsV1, { 'f:data': {}, 'f:metadata': { 'f:labels': { '.': {}, 'f:test-label': {} } } });
});

test('a field the manager applied before and omits now is removed, unless someone else owns it', () => {
  const first = applied(serverSideApply(undefined, { ...testCm, data: { a: '1', b: '2' } }, { fieldManager: 'ctl', force: false, now: t0, typeInfo: configMapType }));
  const second = applied(serverSideApply(first, { ...testCm, data: { a: '1' } }, { fieldManager: 'ctl', force: false, now: t1, typeInfo: configMapType }));
  assert.deepEqual(second.data, { a: '1' });
  const shared = applied(serverSideApply(first, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm' }, data: { b: '2' } }, { fieldManager: 'other', force: false, now: t1, typeInfo: configMapType }));
  const third = applied(serverSideApply(shared, { ...testCm, data: { a: '1' } }, { fieldManager: 'ctl', force: false, now: t2, typeInfo: configMapType }));
  assert.deepEqual(third.data, { a: '1', b: '2' });
});

/** The Deployment of the Server-Side Apply docs' "Transferring ownership" section. */
function nginxDeployment(replicas: number | undefined, image = 'nginx:latest'): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

test('the Server-Side Apply docs: handing replicas over to the HPA through a temporary manager', () => {
  const opts = (fieldManager: string, now: string) => ({ fieldManager, force: false, now, typeInfo: deploymentType });
  let deployment = applied(serverSideApply(undefined, nginxDeployment(3), opts('kubectl', t0)));
  const replicasOnly = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx-deployment' }, spec: { replicas: 3 } };
  deployment = applied(serverSideApply(deployment, replicasOnly, opts('handover-to-hpa', t1)));
  deployment = applied(serverSideApply(deployment, nginxDeployment(undefined, 'nginx:1.14.2'), opts('kubectl', t1)));
  assert.equal((deployment.spec as JsonObject).replicas, 3, 'still owned by handover-to-hpa, so not removed');
  assert.deepEqual(managedFieldsOf(deployment).map((e) => e.manager), ['handover-to-hpa', 'kubectl']);

  const scaled = { ...deployment, spec: { ...(deployment.spec as JsonObject), replicas: 5 } };
  deployment = recordWrite(deployment, scaled, { fieldManager: 'kube-controller-manager', operation: 'Update', now: t2, typeInfo: deploymentType });
  assert.deepEqual(managedFieldsOf(deployment).map((e) => e.manager), ['kubectl', 'kube-controller-manager'], 'the temporary manager owned nothing more and is gone');
});

test('containers are a list-map: an apply owns its container by name and leaves others alone', () => {
  const opts = (fieldManager: string, now: string) => ({ fieldManager, force: false, now, typeInfo: deploymentType });
  let deployment = applied(serverSideApply(undefined, nginxDeployment(1), opts('kubectl', t0)));
  const sidecar = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx-deployment' },
    spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } },
  };
  deployment = applied(serverSideApply(deployment, sidecar, opts('injector', t1)));
  const containers = (((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject).containers;
  assert.deepEqual(containers, [{ name: 'nginx', image: 'nginx:latest' }, { name: 'sidecar', image: 'busybox' }]);
  const injector = managedFieldsOf(deployment).find((e) => e.manager === 'injector')!;
  assert.deepEqual(injector.fieldsV1, {
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
  });
});

test('a repeated list-map key in an applied object is refused', () => {
  const twice = nginxDeployment(1);
  (((twice.spec as JsonObject).template as JsonObject).spec as JsonObject).containers = [{ name: 'a' }, { name: 'a' }];
  assert.throws(() => serverSideApply(undefined, twice, { fieldManager: 'kubectl', force: false, now: t0, typeInfo: deploymentType }),
    /\.spec\.template\.spec\.containers: duplicate entries for key \[name="a"\]/);
});

test('an applied object may not carry managedFields (400)', () => {
  const withManaged = { ...testCm, metadata: { ...testCm.metadata, managedFields: [] } };
  assert.throws(() => serverSideApply(undefined, withManaged, { fieldManager: 'kubectl', force: false, now: t0, typeInfo: configMapType }),
    (err: unknown) => (err as { status: number; message: string }).status === 400 && (err as Error).message === 'metadata.managedFields must be nil');
});

test('the Server-Side Apply docs: managers transfer a field by sharing it, then one giving it up', () => {
  const opts = (fieldManager: string, now: string) => ({ fieldManager, force: false, now, typeInfo: configMapType });
  const cm = (data: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm' }, data });
  let object = applied(serverSideApply(undefined, cm({ x: '1', y: '2' }), opts('alice', t0)));
  object = applied(serverSideApply(object, cm({ x: '1' }), opts('bob', t1)));
  object = applied(serverSideApply(object, cm({ y: '2' }), opts('alice', t2)));
  assert.deepEqual(object.data, { x: '1', y: '2' });
  assert.deepEqual(managedFieldsOf(object).map((e) => [e.manager, e.fieldsV1]), [
    ['bob', { 'f:data': { 'f:x': {} } }],
    ['alice', { 'f:data': { 'f:y': {} } }],
  ]);
});

test('a Service port without protocol is keyed with its default, TCP, as kube keys it', () => {
  const serviceType = builtinTypeInfo({ group: '', version: 'v1', kind: 'Service' })!;
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
  const object = applied(serverSideApply(undefined, service, { fieldManager: 'kubectl', force: false, now: t0, typeInfo: serviceType }));
  assert.deepEqual(managedFieldsOf(object)[0]!.fieldsV1, {
    'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } } },
  });
});

test('re-applying an unchanged configuration changes nothing, not even the time', () => {
  const first = applied(serverSideApply(undefined, testCm, { fieldManager: 'kubectl', force: false, now: t0, typeInfo: configMapType }));
  const again = applied(serverSideApply(first, testCm, { fieldManager: 'kubectl', force: false, now: t1, typeInfo: configMapType }));
  assert.deepEqual(again, first);
});

test('the first apply to an untracked object gives its existing fields to before-first-apply', () => {
  const live = { ...testCm, data: { key: 'some value', other: 'x' } };
  const object = applied(serverSideApply(live, testCm, { fieldManager: 'kubectl', force: false, now: t1, typeInfo: configMapType }));
  assert.deepEqual(object.data, { key: 'some value', other: 'x' });
  assert.deepEqual(managedFieldsOf(object).map((e) => [e.manager, e.operation]), [['kubectl', 'Apply'], ['before-first-apply', 'Update']]);
});
