/** Owner references: how owned objects are garbage-collected with, and routed to, their owner. */
import type { KubeObject, OwnerReference } from './types.ts';

/** The controller reference to `owner` (it must have been read from the API: it needs a uid). */
export function controllerReference(owner: KubeObject): OwnerReference {
  const { name, uid } = owner.metadata;
  if (!name || !uid) throw new TypeError(`${owner.kind} has no name or uid yet: read it from the cache or the API first`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/**
 * Makes `owner` the controller of `object` (returns `object`, changed in place). Throws when
 * another object already controls it: an object has at most one controller.
 */
export function setControllerReference<T extends KubeObject>(object: T, owner: KubeObject): T {
  const ref = controllerReference(owner);
  const refs = object.metadata.ownerReferences ?? [];
  const other = refs.find((r) => r.controller && r.uid !== ref.uid);
  if (other) throw new Error(`${object.kind} ${object.metadata.name ?? ''} is already controlled by ${other.kind} ${other.name}`);
  object.metadata.ownerReferences = [...refs.filter((r) => r.uid !== ref.uid), ref];
  return object;
}

/** Whether `owner` is `object`'s controller. */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === owner.metadata.uid);
}
