/**
 * kube-apiserver's defaulting of the built-in kinds the server serves (the SetDefaults_*
 * functions and declarative `+default` tags of core/v1 and apps/v1), run on every create and
 * update as kube runs them when it decodes a request. Also what Go's serialization adds and
 * kubectl shows: `resources: {}` in containers, `creationTimestamp: null` in pod templates.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { defaultPod, defaultPodSpec } from './pod-spec-defaults.ts';

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

function ensureObject(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isJsonObject(v)) return v;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

function defaultService(svc: JsonObject): void {
  const spec = ensureObject(svc, 'spec');
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = isJsonObject(spec.sessionAffinityConfig) && isJsonObject(spec.sessionAffinityConfig.clientIP) ? spec.sessionAffinityConfig.clientIP : {};
    if (typeof clientIP.timeoutSeconds !== 'number') spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10_800 } };
  }
  for (const p of objects(spec.ports)) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port ?? 0;
  }
  const type = spec.type;
  if ((type === 'NodePort' || type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if ((type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') && spec.internalTrafficPolicy === undefined) spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function defaultPodTemplate(template: JsonObject): void {
  const metadata = ensureObject(template, 'metadata');
  if (!('creationTimestamp' in metadata)) metadata.creationTimestamp = null;
  defaultPodSpec(ensureObject(template, 'spec'));
}

function defaultDeployment(d: JsonObject): void {
  const spec = ensureObject(d, 'spec');
  spec.replicas ??= 1;
  const strategy = ensureObject(spec, 'strategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensureObject(strategy, 'rollingUpdate');
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(ensureObject(spec, 'template'));
}

function defaultSecret(s: JsonObject): void {
  s.type ||= 'Opaque';
}

const defaulters: Readonly<Record<string, (o: JsonObject) => void>> = {
  'pods': defaultPod,
  'services': defaultService,
  'secrets': defaultSecret,
  'apps/deployments': defaultDeployment,
};

/** Fills kube's defaults in place in a built-in object the caller owns; others are left alone. */
export function defaultBuiltin(group: string, resource: string, object: JsonObject): void {
  defaulters[group === '' ? resource : `${group}/${resource}`]?.(object);
}
