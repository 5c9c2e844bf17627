/**
 * An informer's cache: the objects it has seen, by namespace and name, read synchronously.
 */
import { matchesLabels, parseLabelSelector, type LabelSelector } from './label-selector.ts';
import type { KubeObject, ObjectRef } from './kube-object.ts';

/** What changed in a store; informers pass these to their subscribers. `deleted` carries the last state known. */
export type ObjectChange<T> =
  | { type: 'added'; object: T }
  | { type: 'updated'; object: T; old: T }
  | { type: 'deleted'; object: T };

/** Options of `list()`: one namespace (all when absent) and a label selector (text or parsed). */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string | LabelSelector;
}

/**
 * Read access to a store. Objects are shared, not copied: readers must not change them (the
 * host hands guests JSON copies anyway).
 */
export interface StoreReader<T extends KubeObject = KubeObject> {
  get(ref: ObjectRef): T | undefined;
  /** Matching objects in namespace/name order (cluster-scoped objects sort by name). */
  list(options?: ListOptions): T[];
  readonly size: number;
}

/**
 * The store: only its informer writes (`replace`, `upsert`, `remove`), and each write returns
 * the change it made, so the informer's events are exactly the store's changes.
 * Cluster-scoped objects live under the namespace `''`.
 */
export class ObjectStore<T extends KubeObject = KubeObject> implements StoreReader<T> {
  #byNamespace = new Map<string, Map<string, T>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(ref: ObjectRef): T | undefined {
    return this.#byNamespace.get(ref.namespace ?? '')?.get(ref.name);
  }

  list(options: ListOptions = {}): T[] {
    const selector = typeof options.labelSelector === 'string' ? parseLabelSelector(options.labelSelector) : options.labelSelector;
    const namespaces = options.namespace !== undefined ? [options.namespace] : [...this.#byNamespace.keys()].sort();
    const out: T[] = [];
    for (const ns of namespaces) {
      const objects = this.#byNamespace.get(ns);
      if (!objects) continue;
      for (const name of [...objects.keys()].sort()) {
        const object = objects.get(name)!;
        if (!selector || matchesLabels(selector, object.metadata?.labels)) out.push(object);
      }
    }
    return out;
  }

  /**
   * Replaces the whole content (after a list) and returns the difference: added, updated
   * (resourceVersion changed) and deleted objects. Objects whose resourceVersion did not change
   * keep their old instance and produce no change.
   */
  replace(objects: readonly T[]): ObjectChange<T>[] {
    const previous = this.#byNamespace;
    this.#byNamespace = new Map();
    this.#size = 0;
    const changes: ObjectChange<T>[] = [];
    for (const object of objects) {
      const { namespace, name } = keyOf(object);
      const old = previous.get(namespace)?.get(name);
      previous.get(namespace)?.delete(name);
      if (old === undefined) changes.push({ type: 'added', object });
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) changes.push({ type: 'updated', object, old });
      this.#put(namespace, name, old !== undefined && old.metadata?.resourceVersion === object.metadata?.resourceVersion ? old : object);
    }
    for (const objectsLeft of previous.values()) for (const object of objectsLeft.values()) changes.push({ type: 'deleted', object });
    return changes;
  }

  /** Adds or replaces one object; undefined when the store already held this resourceVersion. */
  upsert(object: T): ObjectChange<T> | undefined {
    const { namespace, name } = keyOf(object);
    const old = this.#byNamespace.get(namespace)?.get(name);
    if (old !== undefined && old.metadata?.resourceVersion === object.metadata?.resourceVersion && object.metadata?.resourceVersion !== undefined) return undefined;
    this.#put(namespace, name, object);
    return old === undefined ? { type: 'added', object } : { type: 'updated', object, old };
  }

  /** Removes one object; the change carries the final state the server sent. */
  remove(object: T): ObjectChange<T> | undefined {
    const { namespace, name } = keyOf(object);
    const objects = this.#byNamespace.get(namespace);
    if (!objects?.delete(name)) return undefined;
    this.#size--;
    if (objects.size === 0) this.#byNamespace.delete(namespace);
    return { type: 'deleted', object };
  }

  #put(namespace: string, name: string, object: T): void {
    let objects = this.#byNamespace.get(namespace);
    if (!objects) this.#byNamespace.set(namespace, (objects = new Map()));
    if (!objects.has(name)) this.#size++;
    objects.set(name, object);
  }
}

function keyOf(object: KubeObject): { namespace: string; name: string } {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}
