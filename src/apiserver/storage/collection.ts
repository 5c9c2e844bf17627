/**
 * The current objects of one collection, keyed `namespace/name`, listed in key order (the order
 * kube-apiserver lists in, and the order continue tokens resume from).
 */
import type { StoredObject } from './stored-object.ts';

export class Collection {
  readonly #objects = new Map<string, StoredObject>();
  #sortedKeys: string[] | undefined;

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): StoredObject | undefined {
    return this.#objects.get(key);
  }

  set(key: string, object: StoredObject): void {
    if (!this.#objects.has(key)) this.#sortedKeys = undefined;
    this.#objects.set(key, object);
  }

  delete(key: string): void {
    if (this.#objects.delete(key)) this.#sortedKeys = undefined;
  }

  /** Keys in order, optionally only one namespace's, optionally only those after `afterKey`. */
  keys(namespace?: string, afterKey?: string): string[] {
    this.#sortedKeys ??= [...this.#objects.keys()].sort(compareKeys);
    const keys = this.#sortedKeys;
    let from = 0;
    let to = keys.length;
    if (namespace !== undefined) {
      const prefix = `${namespace}/`;
      from = lowerBound(keys, prefix);
      to = lowerBound(keys, `${namespace}0`); // '0' sorts right after '/'
    }
    if (afterKey !== undefined) from = Math.max(from, upperBound(keys, afterKey));
    return keys.slice(from, to);
  }
}

/** Byte order, as etcd compares keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
