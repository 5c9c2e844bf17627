/**
 * What a new Pod gets on a real cluster before it is stored: kube's Pod create strategy
 * (phase Pending, the QoS class) and the admission plugins every cluster enables
 * (ServiceAccount: the `default` account and its token volume; DefaultTolerationSeconds:
 * tolerations of unready and unreachable nodes for 300 s; Priority: priority 0 and the
 * preemption policy, or the system classes' values). `kubectl get pod -o yaml` then shows
 * what it shows on a real cluster.
 */
import { randomInt } from 'node:crypto';
import { forbidden } from '../http/api-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson } from '../json-members.ts';
import { nameOf } from './object-meta.ts';

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

/** What the admission step needs to know about the pod's ServiceAccount (absent: unknown). */
export type ServiceAccountLookup = (namespace: string, name: string) => JsonObject | undefined;

const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

const systemPriorities: Readonly<Record<string, number>> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

/** A new Pod as kube's strategy and default admission plugins leave it. */
export function admitPod(pod: JsonObject, serviceAccounts: ServiceAccountLookup = () => undefined): JsonObject {
  const spec = cloneJson(obj(pod.spec));
  const namespace = String(obj(pod.metadata).namespace ?? '');
  const account = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName
    : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : 'default';
  spec.serviceAccountName = account;
  spec.serviceAccount = account;
  if (automountsToken(spec, serviceAccounts(namespace, account))) mountToken(spec);
  spec.tolerations = withDefaultTolerations(list(spec.tolerations).map(obj));
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  if (className === '') spec.priority = 0;
  else if (className in systemPriorities) spec.priority = systemPriorities[className]!;
  else throw forbidden({ group: '', resource: 'pods' }, nameOf(pod), `no PriorityClass with name ${className} was found`);
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  return { ...pod, spec, status: { phase: 'Pending', qosClass: qosClass(spec) } };
}

function automountsToken(spec: JsonObject, account: JsonObject | undefined): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  return account?.automountServiceAccountToken !== false;
}

function mountToken(spec: JsonObject): void {
  const containers = [...list(spec.initContainers), ...list(spec.containers)].map(obj);
  if (containers.some((c) => list(c.volumeMounts).some((m) => obj(m).mountPath === tokenMountPath))) return;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  const name = `kube-api-access-${suffix}`;
  spec.volumes = [...list(spec.volumes), {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  }];
  for (const c of containers) c.volumeMounts = [...list(c.volumeMounts), { name, readOnly: true, mountPath: tokenMountPath }];
}

function withDefaultTolerations(tolerations: JsonObject[]): JsonObject[] {
  const out = [...tolerations];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const tolerated = tolerations.some((t) => (t.key === key || (t.operator === 'Exists' && (t.key ?? '') === '')) && ((t.effect ?? '') === '' || t.effect === 'NoExecute'));
    if (!tolerated) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  return out;
}

// kube's GetPodQOS: requests default to limits; Guaranteed needs cpu and memory limits equal
// to the requests in every container, BestEffort has neither anywhere.
function qosClass(spec: JsonObject): string {
  const containers = [...list(spec.initContainers), ...list(spec.containers)].map(obj);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const resources = obj(c.resources);
    const limits = obj(resources.limits);
    const requests = { ...limits, ...obj(resources.requests) };
    for (const r of ['cpu', 'memory']) {
      if (r in limits || r in requests) any = true;
      if (!(r in limits) || requests[r] !== limits[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
