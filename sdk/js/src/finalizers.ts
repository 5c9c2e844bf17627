/**
 * Finalizers: how an operator gets to clean up before its object disappears. `add` and
 * `remove` write through the API (an update) and do nothing when there is nothing to change.
 * A 409 Conflict (the object changed since it was read) is handled by reading it again from
 * the API server and retrying, a few times.
 */
import { api, isConflict } from './api.ts';
import type { KubeObject } from './types.ts';

const attempts = 3;

/** Applies `change` to the object's finalizers and updates it, re-reading it after a conflict. */
function updateFinalizers<T extends KubeObject>(object: T, wanted: (list: string[]) => boolean, change: (list: string[]) => string[]): T {
  let current = object;
  for (let attempt = 1; ; attempt++) {
    const list = current.metadata.finalizers ?? [];
    if (!wanted(list)) return current;
    try {
      return api.update({ ...current, metadata: { ...current.metadata, finalizers: change(list) } });
    } catch (err) {
      if (!isConflict(err) || attempt === attempts) throw err;
      const fresh = api.get<T>({ apiVersion: current.apiVersion, kind: current.kind, namespace: current.metadata.namespace, name: current.metadata.name ?? '' });
      if (!fresh) throw err; // deleted meanwhile: the conflict is the answer
      current = fresh;
    }
  }
}

export const finalizers = {
  has(object: KubeObject, finalizer: string): boolean {
    return (object.metadata.finalizers ?? []).includes(finalizer);
  },

  /** Adds `finalizer` and updates the object; returns it as stored (or unchanged if present). */
  add<T extends KubeObject>(object: T, finalizer: string): T {
    return updateFinalizers(object, (list) => !list.includes(finalizer), (list) => [...list, finalizer]);
  },

  /** Removes `finalizer` and updates the object; returns it as stored (or unchanged if absent). */
  remove<T extends KubeObject>(object: T, finalizer: string): T {
    return updateFinalizers(object, (list) => list.includes(finalizer), (list) => list.filter((f) => f !== finalizer));
  },
};
