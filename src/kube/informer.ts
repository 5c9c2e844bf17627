/**
 * One shared watch and cache for one resource and scope: a reflector feeding a store, and the
 * subscribers told about every change.
 */
import { systemClock, type Clock } from './clock.ts';
import { InformerStoppedError } from './errors.ts';
import type { KubeObject, ObjectRef } from './kube-object.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import { ObjectStore, type ListOptions, type ObjectChange, type StoreReader } from './object-store.ts';
import { Reflector, type ListerWatcher, type ReflectorCounters, type ReflectorOptions, type ReflectorState } from './reflector.ts';

/**
 * What subscribers receive: the store's changes, one by one, in the order the API server
 * made them, and `relisted` after a relist (the watch expired, or the server came back):
 * the changes before it were the difference between the old and the new list. A subscriber
 * that tracks changes can ignore it; one that resyncs may treat it as "everything changed".
 */
export type InformerEvent<T extends KubeObject = KubeObject> = ObjectChange<T> | { type: 'relisted' };

export type InformerHandler<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => void;

/** An informer's health, for metrics, status and `/readyz`. */
export interface InformerHealth {
  key: string;
  state: ReflectorState;
  synced: boolean;
  objects: number;
  subscribers: number;
  resourceVersion: string;
  lastSyncAtMs: number | undefined;
  lastEventAtMs: number | undefined;
  counters: ReflectorCounters & { relists: number };
}

/** Options; `reflector` tunes the list+watch loop. */
export interface InformerOptions<T extends KubeObject> {
  clock?: Clock;
  logger?: KubeLogger;
  /** Applied to every object before it is stored (e.g. dropping managedFields to save memory). */
  transform?: (object: KubeObject) => T;
  reflector?: Omit<ReflectorOptions, 'clock' | 'logger' | 'name' | 'onStateChange'>;
}

interface Subscriber<T extends KubeObject> {
  handler: InformerHandler<T>;
  /** False until the subscriber has been brought up to date with the store. */
  ready: boolean;
}

/**
 * A list+watch of one scope, cached, with subscribers.
 *
 * Guarantees: reads (`get`, `list`) are synchronous and see every change delivered so far;
 * a subscriber first receives `added` for every object already cached (if the informer has
 * synced), then every later change, with no gap and no duplicate; a subscriber that throws is
 * logged and keeps its subscription, and never disturbs the others or the watch.
 * Subscribers are called synchronously: they should only enqueue work.
 */
export class Informer<T extends KubeObject = KubeObject> implements StoreReader<T> {
  readonly key: string;
  readonly #store = new ObjectStore<T>();
  readonly #subscribers = new Set<Subscriber<T>>();
  readonly #reflector: Reflector;
  readonly #clock: Clock;
  readonly #logger: KubeLogger;
  readonly #transform: (object: KubeObject) => T;
  #synced = false;
  #lastSyncAtMs: number | undefined;
  #lastEventAtMs: number | undefined;
  readonly #syncedPromise: Promise<void>;
  #resolveSynced!: () => void;
  #rejectSynced!: (err: Error) => void;

  constructor(key: string, lw: ListerWatcher, options: InformerOptions<T> = {}) {
    this.key = key;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#transform = options.transform ?? ((object) => object as T);
    this.#syncedPromise = new Promise<void>((resolve, reject) => {
      this.#resolveSynced = resolve;
      this.#rejectSynced = reject;
    });
    this.#syncedPromise.catch(() => {}); // a rejection nobody awaited is not a crash
    this.#reflector = new Reflector(
      lw,
      { replace: (items) => this.#replace(items), apply: (type, object) => this.#apply(type, object) },
      { ...options.reflector, clock: this.#clock, logger: this.#logger, name: key },
    );
  }

  /** Starts listing and watching. */
  start(): void {
    this.#logger.log('debug', 'informer.started', { informer: this.key });
    this.#reflector.start();
  }

  /** Stops the watch; `synced()` rejects if it had not resolved. Subscribers get nothing more. */
  async stop(): Promise<void> {
    this.#subscribers.clear();
    await this.#reflector.stop();
    if (!this.#synced) this.#rejectSynced(new InformerStoppedError(this.key));
    this.#logger.log('info', 'informer.stopped', { informer: this.key });
  }

  /** Resolves after the first complete list; before that, reads see nothing. Rejects with `InformerStoppedError` if stopped first. */
  synced(): Promise<void> {
    return this.#syncedPromise;
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  get(ref: ObjectRef): T | undefined {
    return this.#store.get(ref);
  }

  list(options?: ListOptions): T[] {
    return this.#store.list(options);
  }

  get size(): number {
    return this.#store.size;
  }

  /** Subscribes `handler` (see the class's guarantees); returns the unsubscribe function. */
  subscribe(handler: InformerHandler<T>): () => void {
    const subscriber: Subscriber<T> = { handler, ready: false };
    this.#subscribers.add(subscriber);
    // Catch up on a microtask, not inside subscribe(): the handler may want the unsubscribe
    // function it has not been given yet. Nothing can be delivered in between, since events
    // arrive on later macrotasks.
    queueMicrotask(() => {
      if (!this.#subscribers.has(subscriber)) return;
      if (this.#synced) {
        for (const object of this.#store.list()) {
          if (!this.#subscribers.has(subscriber)) return;
          this.#call(subscriber, { type: 'added', object });
        }
      }
      subscriber.ready = true;
    });
    return () => {
      this.#subscribers.delete(subscriber);
    };
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  health(): InformerHealth {
    const counters = this.#reflector.counters;
    return {
      key: this.key,
      state: this.#reflector.state,
      synced: this.#synced,
      objects: this.#store.size,
      subscribers: this.#subscribers.size,
      resourceVersion: this.#reflector.resourceVersion,
      lastSyncAtMs: this.#lastSyncAtMs,
      lastEventAtMs: this.#lastEventAtMs,
      counters: { ...counters, relists: Math.max(0, counters.lists - 1) },
    };
  }

  #replace(items: KubeObject[]): void {
    const changes = this.#store.replace(items.map(this.#transform));
    const first = !this.#synced;
    this.#synced = true;
    this.#lastSyncAtMs = this.#clock.now();
    for (const change of changes) this.#deliver(change);
    if (first) this.#resolveSynced();
    else this.#deliver({ type: 'relisted' });
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    this.#lastEventAtMs = this.#clock.now();
    const stored = this.#transform(object);
    const change = type === 'DELETED' ? this.#store.remove(stored) : this.#store.upsert(stored);
    if (change) this.#deliver(change);
  }

  #deliver(event: InformerEvent<T>): void {
    for (const subscriber of [...this.#subscribers]) {
      if (subscriber.ready && this.#subscribers.has(subscriber)) this.#call(subscriber, event);
    }
  }

  #call(subscriber: Subscriber<T>, event: InformerEvent<T>): void {
    try {
      subscriber.handler(event);
    } catch (err) {
      this.#logger.log('error', 'informer.subscriber_failed', { informer: this.key, event: event.type, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
