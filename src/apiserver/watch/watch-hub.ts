/**
 * Fans committed changes out to the open watches of their collection. Dispatch is synchronous
 * and in resourceVersion order; each event is serialized once per representation however
 * many watchers receive it (the `cache` handed to every watcher of one event).
 */
import type { ObjectStore } from '../storage/object-store.ts';
import type { StoreEvent } from '../storage/stored-object.ts';

/** One open watch. `deliver` must not throw and must not write to the store synchronously. */
export interface Watcher {
  readonly storage: string;
  /** Events at or below this resourceVersion were already sent (from the initial state or history). */
  readonly afterRv: number;
  deliver(event: StoreEvent, cache: Map<string, string>): void;
  /** Ends the watch (its resource stopped being served). */
  close(): void;
}

export class WatchHub {
  readonly #watchers = new Map<string, Set<Watcher>>();
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore) {
    this.#unsubscribe = store.subscribe((events) => this.#dispatch(events));
  }

  /** Number of open watches (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }

  add(watcher: Watcher): () => void {
    let set = this.#watchers.get(watcher.storage);
    if (set === undefined) {
      set = new Set();
      this.#watchers.set(watcher.storage, set);
    }
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.#watchers.get(watcher.storage) === set) this.#watchers.delete(watcher.storage);
    };
  }

  /** Ends every watch of a collection, as kube ends the watches of a deleted CRD's resources. */
  closeStorage(storage: string): void {
    for (const watcher of [...(this.#watchers.get(storage) ?? [])]) watcher.close();
    this.#watchers.delete(storage);
  }

  close(): void {
    this.#unsubscribe();
    this.#watchers.clear();
  }

  #dispatch(events: readonly StoreEvent[]): void {
    for (const event of events) {
      const set = this.#watchers.get(event.storage);
      if (set === undefined) continue;
      const cache = new Map<string, string>();
      for (const watcher of set) {
        if (event.rv <= watcher.afterRv) continue;
        try {
          watcher.deliver(event, cache);
        } catch {
          // One watch that cannot render an event (e.g. a failing printer) ends; the others go on.
          watcher.close();
        }
      }
    }
  }
}
