/**
 * The little the client needs to know about a Kubernetes object. Objects stay the API
 * server's JSON: fields this type does not name are kept as received.
 */

/** `metadata` fields the client reads. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  labels?: Record<string, string>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** Any Kubernetes object (or list, or Status) as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A namespace/name key. `namespace` is absent for cluster-scoped objects. */
export interface ObjectRef {
  namespace?: string;
  name: string;
}

/** The store key of an object: `namespace/name`, or `name` when cluster-scoped (client-go's MetaNamespaceKey). */
export function objectKey(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** The namespace/name of an object as it is. */
export function refOf(object: KubeObject): ObjectRef {
  const namespace = object.metadata?.namespace;
  return namespace ? { namespace, name: object.metadata?.name ?? '' } : { name: object.metadata?.name ?? '' };
}
