/**
 * The key of everything the runtime queues and routes: an object's namespace and name,
 * without its kind (an operator reconciles one primary kind, so the kind is implied).
 */

/** An object's key. `namespace` is absent for cluster-scoped objects. */
export interface ObjectRef {
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The key as one string, `namespace/name` or `name` (client-go's `MetaNamespaceKeyFunc`
 * format): used as a map key and in logs. A namespace never contains `/`, so it is unambiguous.
 */
export function refKey(ref: ObjectRef): string {
  return ref.namespace === undefined || ref.namespace === '' ? ref.name : `${ref.namespace}/${ref.name}`;
}

/** The reverse of `refKey`: `a/b` has namespace `a`, `b` is cluster-scoped. */
export function parseRefKey(key: string): ObjectRef {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Just the key of `ref`, dropping any other property a caller's object carried. */
export function copyRef(ref: ObjectRef): ObjectRef {
  return ref.namespace === undefined || ref.namespace === '' ? { name: ref.name } : { namespace: ref.namespace, name: ref.name };
}
