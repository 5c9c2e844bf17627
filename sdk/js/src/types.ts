/**
 * The Kubernetes shapes an operator handles, as the API server's own JSON. Only the fields the
 * SDK itself reads are typed; every object may carry more (`[key: string]: unknown`).
 */

/** Names one object: what a reconcile request carries and what cache and API reads take. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** The object to reconcile; it carries no event: read the object (it may be gone). */
export type ReconcileRequest = ObjectRef;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** Any Kubernetes object. Give `spec` and `status` your own types by extending it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A status condition, as in metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** The API server's answer to a failed request (and to the host's own refusals). */
export interface Status {
  kind: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: Record<string, unknown>;
}

/** A list, as `cache.list` and `api.list` return it. */
export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}
