/**
 * Every object the server holds, with a global resourceVersion counter and the change history.
 *
 * Contract:
 * - The current state lives in memory; reads never touch the disk.
 * - `write` stages changes at once (so the next request's optimistic-concurrency check sees
 *   them) and resolves only after they are durable. With a durable persistence, writes staged
 *   during one turn of the event loop are committed together, and while a commit is in flight
 *   (an asynchronous persistence) the next batch gathers everything staged meanwhile (group
 *   commit); commits complete in order.
 * - Listeners (watches, controllers) receive committed events in resourceVersion order, never
 *   an event that is not durable; they must not write synchronously from inside the callback.
 * - A failed commit undoes the staged changes of its batch, and of any staged after it, and
 *   rejects their writes.
 */
import type { JsonObject } from '../json.ts';
import { Collection } from './collection.ts';
import { EventHistory, type HistoryRetention } from './event-history.ts';
import type { Persistence } from './persistence.ts';
import { StoredObject, type StoreEvent } from './stored-object.ts';

/** One change to make: `object` null deletes. The store sets metadata.resourceVersion. */
export interface Change {
  storage: string;
  key: string;
  object: JsonObject | null;
}

export type StoreListener = (events: readonly StoreEvent[]) => void;

interface PendingBatch {
  events: StoreEvent[];
  waiters: { resolve: (events: StoreEvent[]) => void; reject: (err: unknown) => void; from: number; to: number }[];
}

export class ObjectStore {
  readonly #collections = new Map<string, Collection>();
  readonly #persistence: Persistence;
  readonly #history: EventHistory;
  readonly #listeners = new Set<StoreListener>();
  readonly #now: () => number;
  #rv: number;
  #committedRv: number;
  #pending: PendingBatch | undefined;
  /** The commit in flight (settles after its writes are answered); the next batch grows until then. */
  #committing: Promise<void> | undefined;

  readonly #onListenerError: (err: unknown) => void;

  /** `onListenerError` hears of a listener that threw; the other listeners still get the events. */
  constructor(persistence: Persistence, now: () => number = Date.now, onListenerError: (err: unknown) => void = () => {}) {
    this.#persistence = persistence;
    this.#now = now;
    this.#onListenerError = onListenerError;
    const state = persistence.load();
    for (const [storage, key, json] of state.objects) {
      const object = JSON.parse(json) as JsonObject;
      const rv = Number((object.metadata as JsonObject).resourceVersion);
      this.#collection(storage).set(key, new StoredObject(object, rv, json));
    }
    this.#history = new EventHistory(state.compactedRv);
    this.#history.append(state.events.map((e) => this.#shareWithCurrent(e)));
    this.#rv = state.rv;
    this.#committedRv = state.rv;
  }

  /** The latest resourceVersion handed out (possibly not yet durable). */
  get rv(): number {
    return this.#rv;
  }

  /** The latest durable resourceVersion: every event up to it has been published. */
  get committedRv(): number {
    return this.#committedRv;
  }

  get history(): EventHistory {
    return this.#history;
  }

  get(storage: string, key: string): StoredObject | undefined {
    return this.#collections.get(storage)?.get(key);
  }

  /** Current objects in key order, optionally one namespace's, optionally after a key. */
  list(storage: string, namespace?: string, afterKey?: string): StoredObject[] {
    const collection = this.#collections.get(storage);
    if (collection === undefined) return [];
    return collection.keys(namespace, afterKey).map((k) => collection.get(k)!);
  }

  /** Keys of current objects in key order (see `list`). */
  keys(storage: string, namespace?: string, afterKey?: string): string[] {
    return this.#collections.get(storage)?.keys(namespace, afterKey) ?? [];
  }

  /** Every collection that holds or held objects. */
  storages(): string[] {
    return [...this.#collections.keys()];
  }

  count(storage: string): number {
    return this.#collections.get(storage)?.size ?? 0;
  }

  subscribe(listener: StoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Stages the changes (each gets the next resourceVersion) and resolves with their events once
   * they are durable. Throws nothing synchronously; a failed commit rejects.
   */
  write(changes: readonly Change[]): Promise<StoreEvent[]> {
    const timeMs = this.#now();
    const events: StoreEvent[] = [];
    for (const change of changes) {
      const collection = this.#collection(change.storage);
      const prev = collection.get(change.key);
      const rv = ++this.#rv;
      if (change.object === null) {
        if (prev === undefined) continue;
        collection.delete(change.key);
        events.push({ type: 'DELETED', rv, storage: change.storage, key: change.key, object: withRv(prev.object, rv), prev, timeMs });
      } else {
        const object = withRv(change.object, rv);
        collection.set(change.key, object);
        events.push({ type: prev === undefined ? 'ADDED' : 'MODIFIED', rv, storage: change.storage, key: change.key, object, prev, timeMs });
      }
    }
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (!this.#persistence.durable) {
        this.#publish(events);
        resolve(events);
        return;
      }
      if (this.#pending === undefined) {
        this.#pending = { events: [], waiters: [] };
        setImmediate(() => this.#flush());
      }
      const from = this.#pending.events.length;
      this.#pending.events.push(...events);
      this.#pending.waiters.push({ resolve, reject, from, to: this.#pending.events.length });
    });
  }

  /** Forgets history beyond the retention (watches older than that get 410 Gone). */
  compact(retention: HistoryRetention): void {
    const compacted = this.#history.compact(retention, this.#now());
    if (compacted !== undefined) this.#persistence.compact(compacted);
  }

  /** Forgets all history up to `rv` (default: everything committed). */
  compactTo(rv = this.#committedRv): number {
    const compacted = this.#history.compactTo(Math.min(rv, this.#committedRv));
    this.#persistence.compact(compacted);
    return compacted;
  }

  /** Commits what is pending and closes the persistence. */
  async close(): Promise<void> {
    for (;;) {
      if (this.#committing !== undefined) await this.#committing;
      else if (this.#pending !== undefined) this.#flush();
      else break;
    }
    await this.#persistence.close();
  }

  #flush(): void {
    if (this.#committing !== undefined) return; // the commit in flight flushes the next batch when it ends
    const batch = this.#pending;
    this.#pending = undefined;
    if (batch === undefined) return;
    let committed: void | Promise<void>;
    try {
      committed = this.#persistence.commit(batch.events);
    } catch (err) {
      this.#fail([batch], err);
      return;
    }
    if (committed === undefined) {
      this.#committed(batch);
      return;
    }
    this.#committing = committed.then(() => {
      this.#committing = undefined;
      this.#committed(batch);
      this.#flush();
    }, (err: unknown) => {
      this.#committing = undefined;
      // What was staged since was staged on top of the failed batch: it goes too.
      const later = this.#pending;
      this.#pending = undefined;
      this.#fail(later === undefined ? [batch] : [batch, later], err);
    });
  }

  #committed(batch: PendingBatch): void {
    this.#publish(batch.events);
    for (const w of batch.waiters) w.resolve(batch.events.slice(w.from, w.to));
  }

  // Undoes batches (in staging order) newest first, and rejects their writes.
  #fail(batches: PendingBatch[], err: unknown): void {
    for (const batch of [...batches].reverse()) this.#undo(batch.events);
    for (const batch of batches) for (const w of batch.waiters) w.reject(err);
  }

  #publish(events: StoreEvent[]): void {
    this.#committedRv = events[events.length - 1]!.rv;
    this.#history.append(events);
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  #undo(events: readonly StoreEvent[]): void {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      const collection = this.#collection(e.storage);
      if (e.prev === undefined) collection.delete(e.key);
      else collection.set(e.key, e.prev);
    }
  }

  #collection(storage: string): Collection {
    let c = this.#collections.get(storage);
    if (c === undefined) {
      c = new Collection();
      this.#collections.set(storage, c);
    }
    return c;
  }

  // After a restart, history events and current objects are parsed separately; share the
  // current ones so that the history costs no extra memory for unchanged objects.
  #shareWithCurrent(e: StoreEvent): StoreEvent {
    const current = this.#collections.get(e.storage)?.get(e.key);
    return current !== undefined && current.rv === e.object.rv ? { ...e, object: current } : e;
  }
}

// kube's field order, so that stored objects read like a real cluster's.
const metadataOrder = [
  'name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

function withRv(object: JsonObject, rv: number): StoredObject {
  const given: JsonObject = { ...(object.metadata as JsonObject), resourceVersion: String(rv) };
  const metadata: JsonObject = {};
  for (const k of metadataOrder) if (k in given) metadata[k] = given[k]!;
  for (const k of Object.keys(given)) if (!(k in metadata)) metadata[k] = given[k]!;
  const { apiVersion, kind, metadata: _old, ...rest } = object;
  const ordered: JsonObject = {};
  if (apiVersion !== undefined) ordered.apiVersion = apiVersion;
  if (kind !== undefined) ordered.kind = kind;
  return new StoredObject({ ...ordered, metadata, ...rest }, rv);
}
