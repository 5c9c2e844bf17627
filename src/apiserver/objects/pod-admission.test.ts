import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiError } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { admitPod } from './pod-admission.ts';

const pod = (spec: JsonObject): JsonObject => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'a', image: 'x' }], ...spec } });

test('a new pod gets the default account, its token volume, default tolerations, priority and Pending', () => {
  const admitted = admitPod(pod({}));
  const spec = admitted.spec as JsonObject;
  assert.deepEqual([spec.serviceAccountName, spec.serviceAccount, spec.priority, spec.preemptionPolicy], ['default', 'default', 0, 'PreemptLowerPriority']);
  assert.match(String(((spec.volumes as JsonObject[])[0]!).name), /^kube-api-access-[a-z0-9]{5}$/);
  assert.deepEqual((spec.tolerations as JsonObject[]).map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
  assert.deepEqual(admitted.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('automountServiceAccountToken false on the pod or its account mounts no token', () => {
  assert.equal((admitPod(pod({ automountServiceAccountToken: false })).spec as JsonObject).volumes, undefined);
  const account = { automountServiceAccountToken: false };
  assert.equal((admitPod(pod({ serviceAccountName: 'robot' }), () => account).spec as JsonObject).volumes, undefined);
});

test('the QoS class follows requests and limits', () => {
  const withResources = (resources: JsonObject) => admitPod(pod({ containers: [{ name: 'a', image: 'x', resources }] })).status;
  assert.deepEqual(withResources({ limits: { cpu: '1', memory: '1Gi' } }), { phase: 'Pending', qosClass: 'Guaranteed' });
  assert.deepEqual(withResources({ requests: { cpu: '1' } }), { phase: 'Pending', qosClass: 'Burstable' });
});

test('an unknown priority class is forbidden, the system ones set their priority', () => {
  assert.equal((admitPod(pod({ priorityClassName: 'system-node-critical' })).spec as JsonObject).priority, 2_000_001_000);
  assert.throws(() => admitPod(pod({ priorityClassName: 'gold' })), (err: ApiError) => err.message === 'pods "p" is forbidden: no PriorityClass with name gold was found');
});
