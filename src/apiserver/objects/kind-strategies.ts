/**
 * What a few built-in kinds do differently on create, update and delete (kube's per-kind
 * "strategies"): a Namespace gets its phase and the `kubernetes` finalizer, a Pod starts
 * Pending with what kube's admission plugins add, a Service gets its cluster IP and node
 * ports, a Secret's stringData goes into data, a CRD is defaulted and checked. Everything
 * else uses the generic behaviour.
 */
import type { FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { crdCleanupFinalizer, crdStorage, crdValidationErrors, defaultCrd } from '../registry/crd-types.ts';
import { metadataOf, nameOf } from './object-meta.ts';
import { admitPod } from './pod-admission.ts';
import { ServiceAllocator } from './service-allocator.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { objectKey } from '../storage/stored-object.ts';

export interface KindStrategy {
  /** Sets what the server sets on every create. */
  prepareForCreate?(obj: JsonObject): JsonObject;
  /** Carries over what an update through `subresource` (undefined: the main resource) may not change. */
  prepareForUpdate?(next: JsonObject, old: JsonObject, subresource: string | undefined): JsonObject;
  /** Problems that make the object invalid (422). */
  validate?(obj: JsonObject, old: JsonObject | undefined): FieldError[];
  /** Finalizers other than metadata.finalizers that hold the object back from going away. */
  extraFinalizers?(obj: JsonObject): string[];
  /** Finalizers the server adds when deletion starts (a CRD's cleanup of its objects). */
  deletionFinalizers?: readonly string[];
  /** The change made when deletion starts. */
  onDeletionStart?(obj: JsonObject): JsonObject;
  /** Names that may never be deleted, with kube's reason. */
  undeletable?: ReadonlySet<string>;
}

/** The finalizer the namespace controller removes once the namespace is empty. */
export const namespaceFinalizer = 'kubernetes';

function specFinalizers(obj: JsonObject): string[] {
  const spec = isJsonObject(obj.spec) ? obj.spec : {};
  return Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
}

// kube labels every namespace with its own name, so selectors can pick namespaces by name.
function withNameLabel(obj: JsonObject): JsonObject {
  const metadata = metadataOf(obj);
  const labels = isJsonObject(metadata.labels) ? metadata.labels : {};
  return { ...obj, metadata: { ...metadata, labels: { ...labels, 'kubernetes.io/metadata.name': nameOf(obj) } } };
}

const namespaceStrategy: KindStrategy = {
  prepareForCreate(obj) {
    const spec = isJsonObject(obj.spec) ? obj.spec : {};
    const finalizers = specFinalizers(obj);
    if (!finalizers.includes(namespaceFinalizer)) finalizers.push(namespaceFinalizer);
    return withNameLabel({ ...obj, spec: { ...spec, finalizers }, status: { phase: 'Active' } });
  },
  prepareForUpdate(next, old, subresource) {
    const oldSpec = isJsonObject(old.spec) ? old.spec : {};
    if (subresource === 'finalize') {
      // Only spec.finalizers may change through /finalize.
      return { ...old, spec: { ...oldSpec, finalizers: specFinalizers(next) } };
    }
    const spec = isJsonObject(next.spec) ? next.spec : {};
    const kept = { ...next, spec: { ...spec, finalizers: specFinalizers(old) } };
    return withNameLabel(kept);
  },
  extraFinalizers: specFinalizers,
  onDeletionStart(obj) {
    const status = isJsonObject(obj.status) ? obj.status : {};
    return { ...obj, status: { ...status, phase: 'Terminating' } };
  },
  undeletable: new Set(['default', 'kube-system', 'kube-public']),
};

function podStrategy(store: ObjectStore): KindStrategy {
  return { prepareForCreate: (pod) => admitPod(pod, (namespace, name) => store.get('serviceaccounts', objectKey(namespace, name))?.object) };
}

// kube merges stringData into data when it decodes a Secret (write-only convenience field).
function mergeStringData(secret: JsonObject): JsonObject {
  if (!isJsonObject(secret.stringData)) return secret;
  const data = isJsonObject(secret.data) ? { ...secret.data } : {};
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(typeof v === 'string' ? v : '', 'utf8').toString('base64');
  const { stringData: _, ...rest } = secret;
  return { ...rest, data };
}

const secretStrategy: KindStrategy = {
  prepareForCreate: mergeStringData,
  prepareForUpdate: (next) => mergeStringData(next),
};

function serviceStrategy(allocator: ServiceAllocator): KindStrategy {
  return {
    prepareForCreate: (svc) => ({ ...allocator.allocateCreate(svc, nameOf(svc)), status: { loadBalancer: {} } }),
    prepareForUpdate: (next, old, subresource) => (subresource === undefined ? allocator.allocateUpdate(next, old, nameOf(old)) : next),
  };
}

const crdStrategy: KindStrategy = {
  prepareForCreate: defaultCrd,
  prepareForUpdate: (next) => defaultCrd(next),
  validate: crdValidationErrors,
  deletionFinalizers: [crdCleanupFinalizer],
  onDeletionStart(crd) {
    const status = isJsonObject(crd.status) ? crd.status : {};
    const others = Array.isArray(status.conditions) ? status.conditions.filter((c) => !isJsonObject(c) || c.type !== 'Terminating') : [];
    const terminating = {
      type: 'Terminating', status: 'True', lastTransitionTime: String(metadataOf(crd).deletionTimestamp), reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    };
    return { ...crd, status: { ...status, conditions: [...others, terminating] } };
  },
};

const generic: KindStrategy = {};

/** Looks up the strategy for objects stored in a collection. */
export type StrategyLookup = (storage: string) => KindStrategy;

/**
 * The strategies of one server. They read the store for what a write depends on: the Service
 * strategy the cluster IPs and node ports in use, the Pod strategy the ServiceAccount.
 */
export function kindStrategies(store: ObjectStore): StrategyLookup {
  const strategies: Readonly<Record<string, KindStrategy>> = {
    namespaces: namespaceStrategy,
    pods: podStrategy(store),
    secrets: secretStrategy,
    // A new Deployment's status is the empty struct kube serializes as `status: {}`.
    'deployments.apps': { prepareForCreate: (d) => ({ ...d, status: {} }) },
    services: serviceStrategy(new ServiceAllocator(() => store.list('services').map((s) => s.object))),
    [crdStorage]: crdStrategy,
  };
  return (storage) => strategies[storage] ?? generic;
}
