/**
 * Reading a collection as it was at an earlier resourceVersion: the current state with every
 * later change rolled back through the history. This gives paginated lists a consistent
 * snapshot across pages, and serves `resourceVersionMatch=Exact`.
 */
import { compareKeys } from './collection.ts';
import type { ObjectStore } from './object-store.ts';
import type { StoredObject } from './stored-object.ts';

/** The collection's objects at `rv` in key order after `afterKey`, or `expired` if history no longer reaches back. */
export function keysAndObjectsAt(
  store: ObjectStore, storage: string, rv: number, namespace: string | undefined, afterKey: string | undefined,
): { key: string; object: StoredObject }[] | 'expired' {
  const later = store.history.since(rv);
  if (later === 'expired') return 'expired';
  const overrides = new Map<string, StoredObject | null>();
  for (const e of later) {
    if (e.storage !== storage || overrides.has(e.key)) continue;
    overrides.set(e.key, e.type === 'ADDED' ? null : e.prev!);
  }
  const prefix = namespace === undefined ? undefined : `${namespace}/`;
  const keys = store.keys(storage, namespace, afterKey);
  for (const key of overrides.keys()) {
    if (prefix !== undefined && !key.startsWith(prefix)) continue;
    if (afterKey !== undefined && key <= afterKey) continue;
    keys.push(key);
  }
  const unique = [...new Set(keys)].sort(compareKeys);
  const out: { key: string; object: StoredObject }[] = [];
  for (const key of unique) {
    const override = overrides.get(key);
    const object = override === undefined ? store.get(storage, key) : override;
    // An object newer than rv without a committed event is a write of this very turn: not in the snapshot.
    if (object === null || object === undefined || object.rv > rv) continue;
    out.push({ key, object });
  }
  return out;
}
