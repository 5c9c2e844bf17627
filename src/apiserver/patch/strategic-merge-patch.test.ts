import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { PatchError, UnsupportedPatchTypeError } from './patch-error.ts';
import { applyStrategicMergePatch, supportsStrategicMergePatch } from './strategic-merge-patch.ts';

const deploymentKind = { group: 'apps', version: 'v1', kind: 'Deployment' };
const podKind = { group: '', version: 'v1', kind: 'Pod' };

/** The Deployment of the "Update API Objects in Place Using kubectl patch" task. */
function patchDemo(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'patch-demo' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
          tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
        },
      },
    },
  };
}

function podSpecOf(object: JsonObject): JsonObject {
  return ((object.spec as JsonObject).template as JsonObject).spec as JsonObject;
}

function failure(fn: () => unknown): PatchError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof PatchError, `expected a PatchError, got ${String(caught)}`);
  return caught;
}

test('the kubectl patch task: a container added by strategic merge goes before the existing one', () => {
  const patched = applyStrategicMergePatch(patchDemo(), { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } }, deploymentKind);
  assert.deepEqual(podSpecOf(patched).containers, [{ name: 'patch-demo-ctr-2', image: 'redis' }, { name: 'patch-demo-ctr', image: 'nginx' }]);
});

test('the kubectl patch task: tolerations have no patch strategy, so the patch replaces them', () => {
  const patched = applyStrategicMergePatch(patchDemo(), { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } }, deploymentKind);
  assert.deepEqual(podSpecOf(patched).tolerations, [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }]);
  assert.deepEqual(podSpecOf(patched).containers, [{ name: 'patch-demo-ctr', image: 'nginx' }]);
});

test('the kubectl patch task: $retainKeys clears the rollingUpdate the strategy no longer wants', () => {
  const retainkeysDemo = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%' } } } };
  const patched = applyStrategicMergePatch(retainkeysDemo, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentKind);
  assert.deepEqual(patched, { spec: { strategy: { type: 'Recreate' } } });
});

test('a patch that sets a key missing from its $retainKeys is a 400', () => {
  const err = failure(() => applyStrategicMergePatch({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deploymentKind));
  assert.deepEqual([err.status, err.reason, err.message], [400, 'BadRequest', 'invalid patch format of retainKeys']);
});

test('a matching container is merged field by field, and null deletes a field', () => {
  const original = { spec: { containers: [{ name: 'web', image: 'nginx:1', imagePullPolicy: 'Always' }] } };
  const patched = applyStrategicMergePatch(original, { spec: { containers: [{ name: 'web', image: 'nginx:2', imagePullPolicy: null }] } }, podKind);
  assert.deepEqual(patched, { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } });
  assert.deepEqual(original.spec.containers[0], { name: 'web', image: 'nginx:1', imagePullPolicy: 'Always' });
});

test('$patch: delete removes a list item by merge key, and a whole map', () => {
  const original = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], securityContext: { runAsUser: 1 } } };
  const patched = applyStrategicMergePatch(original, { spec: { containers: [{ name: 'a', $patch: 'delete' }], securityContext: { $patch: 'delete' } } }, podKind);
  assert.deepEqual(patched, { spec: { containers: [{ name: 'b', image: 'y' }], securityContext: {} } });
});

test('$patch: replace as a list item makes the patch the whole list; on a map it replaces the map', () => {
  const original = { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'a', image: 'x' }] } };
  const patch: JsonObject = { metadata: { labels: { $patch: 'replace', c: '3' } }, spec: { containers: [{ name: 'b', image: 'y' }, { $patch: 'replace' }] } };
  assert.deepEqual(applyStrategicMergePatch(original, patch, podKind), { metadata: { labels: { c: '3' } }, spec: { containers: [{ name: 'b', image: 'y' }] } });
});

test('finalizers merge as a set: new ones first, kept ones after, no duplicates', () => {
  const original = { metadata: { finalizers: ['a', 'b'] } };
  assert.deepEqual(applyStrategicMergePatch(original, { metadata: { finalizers: ['c', 'a'] } }, podKind), { metadata: { finalizers: ['c', 'a', 'b'] } });
});

test('$deleteFromPrimitiveList removes values from a merging list of scalars', () => {
  const original = { metadata: { finalizers: ['a', 'b', 'c'] } };
  assert.deepEqual(applyStrategicMergePatch(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, podKind), { metadata: { finalizers: ['a', 'c'] } });
  const err = failure(() => applyStrategicMergePatch(original, { metadata: { $deleteFromPrimitiveList: ['b'] } }, podKind));
  assert.deepEqual([err.status, err.message], [400, 'invalid patch format of primitive list']);
});

test('$setElementOrder fixes the order of the merged list, as kubectl apply sends it', () => {
  // The example of the "preserve order in strategic merge patch" design.
  const original = { spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } };
  const patch = {
    spec: {
      '$setElementOrder/containers': [{ name: 'd' }, { name: 'a' }, { name: 'b' }, { name: 'c' }],
      containers: [{ name: 'd', image: 'new' }],
    },
  };
  assert.deepEqual(applyStrategicMergePatch(original, patch, podKind), { spec: { containers: [{ name: 'd', image: 'new' }, { name: 'a' }, { name: 'b' }, { name: 'c' }] } });
  const reorder = { metadata: { '$setElementOrder/finalizers': ['c', 'a', 'b'] } };
  assert.deepEqual(applyStrategicMergePatch({ metadata: { finalizers: ['a', 'b', 'c'] } }, reorder, podKind), { metadata: { finalizers: ['c', 'a', 'b'] } });
});

test('a patch list that contradicts its $setElementOrder is refused with kube\'s message', () => {
  const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }] } };
  const err = failure(() => applyStrategicMergePatch({ spec: { containers: [{ name: 'a' }] } }, patch, podKind));
  assert.equal(err.status, 500);
  assert.equal(err.message, 'The order in patch list:\n[map[name:b]]\n doesn\'t match $setElementOrder list:\n[map[name:a]]\n');
});

test('ownerReferences merge by uid, Service ports by port', () => {
  const owner = (uid: string, name: string): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });
  const original = { metadata: { ownerReferences: [owner('1', 'a')] }, spec: { ports: [{ port: 80, targetPort: 80 }, { port: 443, targetPort: 443 }] } };
  const patch = { metadata: { ownerReferences: [owner('2', 'b')] }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
  const patched = applyStrategicMergePatch(original, patch, { group: '', version: 'v1', kind: 'Service' });
  assert.deepEqual(patched, {
    metadata: { ownerReferences: [owner('2', 'b'), owner('1', 'a')] },
    spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 443 }] },
  });
});

test('a list item without its merge key fails as kube-apiserver fails it (500, Go-formatted map)', () => {
  const err = failure(() => applyStrategicMergePatch(patchDemo(), { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } }, deploymentKind));
  assert.deepEqual([err.status, err.reason, err.message], [500, '', 'map: map[image:nginx] does not contain declared merge key: name']);
});

test('an unknown directive is a 500, a list of lists a 422', () => {
  assert.equal(failure(() => applyStrategicMergePatch({ metadata: {} }, { metadata: { $patch: 'frob' } }, podKind)).message, 'unknown patch type: frob in map: map[$patch:frob]');
  const listOfLists = failure(() => applyStrategicMergePatch({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, podKind));
  assert.deepEqual([listOfLists.status, listOfLists.reason, listOfLists.detail], [422, 'Invalid', 'lists of lists are not supported']);
});

test('maps merge key by key and new values lose their nulls and directives', () => {
  const original = { data: { a: '1', b: '2' } };
  const patched = applyStrategicMergePatch(original, { data: { a: null, c: '3' }, metadata: { labels: { x: 'y', z: null } } }, { group: '', version: 'v1', kind: 'ConfigMap' });
  assert.deepEqual(patched, { data: { b: '2', c: '3' }, metadata: { labels: { x: 'y' } } });
});

test('custom resources have no strategic merge patch: 415 naming what kube accepts', () => {
  const gvk = { group: 'example.com', version: 'v1', kind: 'Gadget' };
  assert.equal(supportsStrategicMergePatch(gvk), false);
  assert.equal(supportsStrategicMergePatch(deploymentKind), true);
  assert.throws(() => applyStrategicMergePatch({}, {}, gvk), (err: unknown) => {
    assert.ok(err instanceof UnsupportedPatchTypeError);
    assert.equal(err.status, 415);
    assert.equal(err.reason, 'UnsupportedMediaType');
    assert.equal(err.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    return true;
  });
});

test('a patch that is not an object is a 400', () => {
  const err = failure(() => applyStrategicMergePatch({}, [] as unknown as JsonObject, podKind));
  assert.deepEqual([err.status, err.message], [400, 'json: cannot unmarshal array into Go value of type map[string]interface {}']);
});

test('kubectl apply\'s removal of a finalizer: order kept by $setElementOrder, value deleted by $deleteFromPrimitiveList', () => {
  const patch = { metadata: { '$setElementOrder/finalizers': ['a', 'c'], '$deleteFromPrimitiveList/finalizers': ['b'] } };
  assert.deepEqual(applyStrategicMergePatch({ metadata: { finalizers: ['a', 'b', 'c'] } }, patch, podKind), { metadata: { finalizers: ['a', 'c'] } });
});
