import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { defaultBuiltin } from './builtin-defaults.ts';
import { imageTag } from './pod-spec-defaults.ts';

test('image tags decide the pull policy: latest or none pulls Always, others IfNotPresent', () => {
  assert.deepEqual(['nginx', 'nginx:1.27', 'reg:5000/app', 'reg:5000/app:v1', 'app@sha256:ab'].map(imageTag), ['', '1.27', '', 'v1', '']);
  const policies = ['nginx', 'nginx:latest', 'nginx:1.27', 'app@sha256:ab'].map((image) => {
    const pod: JsonObject = { spec: { containers: [{ name: 'a', image }] } };
    defaultBuiltin('', 'pods', pod);
    return ((pod.spec as JsonObject).containers as JsonObject[])[0]!.imagePullPolicy;
  });
  assert.deepEqual(policies, ['Always', 'Always', 'IfNotPresent', 'IfNotPresent']);
});

test('a Deployment gets kube strategy, history, deadline and pod template defaults', () => {
  const d: JsonObject = { spec: { template: { spec: { containers: [{ name: 'a', image: 'x:1', livenessProbe: { httpGet: { port: 80 } } }], volumes: [{ name: 'v', configMap: { name: 'c' } }, { name: 'e' }] } } } };
  defaultBuiltin('apps', 'deployments', d);
  const spec = d.spec as JsonObject;
  assert.deepEqual([spec.replicas, spec.revisionHistoryLimit, spec.progressDeadlineSeconds], [1, 10, 600]);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  const template = spec.template as JsonObject;
  assert.deepEqual(template.metadata, { creationTimestamp: null });
  const pod = template.spec as JsonObject;
  assert.deepEqual([pod.dnsPolicy, pod.restartPolicy, pod.schedulerName, pod.terminationGracePeriodSeconds, pod.securityContext], ['ClusterFirst', 'Always', 'default-scheduler', 30, {}]);
  assert.equal(pod.enableServiceLinks, undefined, 'service links are a Pod default, not a template one');
  const container = (pod.containers as JsonObject[])[0]!;
  assert.deepEqual(container.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(pod.volumes, [{ name: 'v', configMap: { name: 'c', defaultMode: 420 } }, { name: 'e', emptyDir: {} }]);
});

test('Service defaults depend on its type', () => {
  const lb: JsonObject = { spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }] } };
  defaultBuiltin('', 'services', lb);
  assert.deepEqual(lb.spec, {
    type: 'LoadBalancer', sessionAffinity: 'None', ports: [{ port: 443, targetPort: 'https', protocol: 'TCP' }],
    externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true,
  });
  const sticky: JsonObject = { spec: { sessionAffinity: 'ClientIP' } };
  defaultBuiltin('', 'services', sticky);
  assert.deepEqual((sticky.spec as JsonObject).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10_800 } });
});

test('only kinds kube defaults are touched', () => {
  const cm: JsonObject = { data: {} };
  defaultBuiltin('', 'configmaps', cm);
  assert.deepEqual(cm, { data: {} });
  const secret: JsonObject = {};
  defaultBuiltin('', 'secrets', secret);
  assert.equal(secret.type, 'Opaque');
});
