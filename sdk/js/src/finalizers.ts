/**
 * Finalizers: how an operator gets to clean up before its object disappears. `add` and
 * `remove` write through the API (an update, so a concurrent change gives 409 Conflict) and
 * do nothing when there is nothing to change.
 */
import { api } from './api.ts';
import type { KubeObject } from './types.ts';

export const finalizers = {
  has(object: KubeObject, finalizer: string): boolean {
    return (object.metadata.finalizers ?? []).includes(finalizer);
  },

  /** Adds `finalizer` and updates the object; returns it as stored (or unchanged if present). */
  add<T extends KubeObject>(object: T, finalizer: string): T {
    if (finalizers.has(object, finalizer)) return object;
    const next = { ...object, metadata: { ...object.metadata, finalizers: [...(object.metadata.finalizers ?? []), finalizer] } };
    return api.update(next);
  },

  /** Removes `finalizer` and updates the object; returns it as stored (or unchanged if absent). */
  remove<T extends KubeObject>(object: T, finalizer: string): T {
    if (!finalizers.has(object, finalizer)) return object;
    const next = { ...object, metadata: { ...object.metadata, finalizers: (object.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
    return api.update(next);
  },
};
