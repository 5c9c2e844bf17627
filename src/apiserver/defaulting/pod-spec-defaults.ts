/**
 * kube's defaults for a PodSpec and what it holds (SetDefaults_PodSpec, _Container, _Probe,
 * _HTTPGetAction, the volume sources, _ObjectFieldSelector, ContainerPort's protocol), applied
 * to Pods and to the pod templates of workloads alike; SetDefaults_Pod's extras (service
 * links, requests from limits) only to Pods. Each function fills in place the object it is
 * given, which the caller owns.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

/** The tag of an image reference (`nginx:1.27` -> `1.27`), '' when it has none or a digest only. */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : '';
}

function defaultProbe(probe: JsonValue | undefined): void {
  if (!isJsonObject(probe)) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (isJsonObject(probe.httpGet)) {
    probe.httpGet.path ||= '/';
    probe.httpGet.scheme ||= 'HTTP';
  }
}

function defaultLifecycleHandler(handler: JsonValue | undefined): void {
  if (isJsonObject(handler) && isJsonObject(handler.httpGet)) {
    handler.httpGet.path ||= '/';
    handler.httpGet.scheme ||= 'HTTP';
  }
}

function defaultFieldRefs(env: JsonValue | undefined): void {
  for (const e of objects(env)) {
    const fieldRef = isJsonObject(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
    if (isJsonObject(fieldRef)) fieldRef.apiVersion ||= 'v1';
  }
}

function defaultContainer(c: JsonObject): void {
  if (typeof c.imagePullPolicy !== 'string' || c.imagePullPolicy === '') {
    const image = typeof c.image === 'string' ? c.image : '';
    // A digest without a tag pulls IfNotPresent; no tag at all means :latest.
    const tag = imageTag(image) || (image.includes('@') ? '' : 'latest');
    c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // ResourceRequirements is a struct, so kube always serializes it.
  if (!isJsonObject(c.resources)) c.resources = {};
  for (const p of objects(c.ports)) p.protocol ||= 'TCP';
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  if (isJsonObject(c.lifecycle)) {
    defaultLifecycleHandler(c.lifecycle.postStart);
    defaultLifecycleHandler(c.lifecycle.preStop);
  }
  defaultFieldRefs(c.env);
}

function defaultVolume(v: JsonObject): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const [source, mode] of [['secret', 420], ['configMap', 420], ['downwardAPI', 420], ['projected', 420]] as const) {
    if (isJsonObject(v[source]) && v[source].defaultMode === undefined) v[source].defaultMode = mode;
  }
  if (isJsonObject(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isJsonObject(v.downwardAPI)) for (const item of objects(v.downwardAPI.items)) if (isJsonObject(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
  if (isJsonObject(v.projected)) {
    for (const s of objects(v.projected.sources)) {
      if (isJsonObject(s.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3600;
      if (isJsonObject(s.downwardAPI)) for (const item of objects(s.downwardAPI.items)) if (isJsonObject(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
    }
  }
}

/** Fills a PodSpec's defaults in place. */
export function defaultPodSpec(spec: JsonObject): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  if (!isJsonObject(spec.securityContext)) spec.securityContext = {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  for (const c of [...objects(spec.initContainers), ...objects(spec.containers), ...objects(spec.ephemeralContainers)]) defaultContainer(c);
  for (const v of objects(spec.volumes)) defaultVolume(v);
}

/** Fills a Pod's defaults in place: its spec's, then SetDefaults_Pod's own. */
export function defaultPod(pod: JsonObject): void {
  if (!isJsonObject(pod.spec)) pod.spec = {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) {
    const resources = isJsonObject(c.resources) ? c.resources : {};
    if (isJsonObject(resources.limits)) resources.requests = { ...resources.limits, ...(isJsonObject(resources.requests) ? resources.requests : {}) };
  }
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork === true) {
    for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) for (const p of objects(c.ports)) p.hostPort ||= p.containerPort ?? 0;
  }
}
