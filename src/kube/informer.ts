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

/**
 * What a subscriber reads: an informer's cache (narrowed to one namespace when the
 * subscription is), whether it has synced, and the health of the watch behind it.
 */
export interface InformerReader<T extends KubeObject = KubeObject> extends StoreReader<T> {
  readonly key: string;
  /** Resolves after the first complete list; rejects with `InformerStoppedError` if stopped first. */
  synced(): Promise<void>;
  readonly hasSynced: boolean;
  health(): InformerHealth;
}

/** Options; `reflector` tunes the list+watch loop. */
export interface InformerOptions<T extends KubeObject> {
  clock?: Clock;
  logger?: KubeLogger;
  /** Applied to every object before it is stored (e.g. dropping managedFields to save memory). */
  transform?: (object: KubeObject) => T;
  reflector?: Omit<ReflectorOptions, 'clock' | 'logger' | 'name' | 'onStateChange'>;
  /** Told each change of the list+watch loop's phase (the registry watches for a forbidden list). */
  onStateChange?: (state: ReflectorState) => void;
}

interface Subscriber<T extends KubeObject> {
  handler: InformerHandler<T>;
  /** Only objects of this namespace (and `relisted`) reach it; every object when undefined. */
  namespace: string | undefined;
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
 * Subscribers are called synchronously: they should only enqueue work. A subscriber of one
 * namespace costs nothing for events of other namespaces (subscribers are kept by namespace),
 * so one informer of all namespaces can serve many namespaced subscribers.
 */
export class Informer<T extends KubeObject = KubeObject> implements InformerReader<T> {
  readonly key: string;
  readonly #store = new ObjectStore<T>();
  /** By namespace; the key `undefined` holds the subscribers of every namespace. */
  readonly #subscribers = new Map<string | undefined, Set<Subscriber<T>>>();
  #subscriberCount = 0;
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
      { ...options.reflector, clock: this.#clock, logger: this.#logger, name: key, ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}) },
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
    this.#subscriberCount = 0;
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

  /**
   * Subscribes `handler` (see the class's guarantees), to the objects of `namespace` only when
   * given; returns the unsubscribe function.
   */
  subscribe(handler: InformerHandler<T>, namespace?: string): () => void {
    const subscriber: Subscriber<T> = { handler, namespace, ready: false };
    let set = this.#subscribers.get(namespace);
    if (set === undefined) this.#subscribers.set(namespace, (set = new Set()));
    set.add(subscriber);
    this.#subscriberCount++;
    const subscribed = () => this.#subscribers.get(namespace)?.has(subscriber) === true;
    // Catch up on a microtask, not inside subscribe(): the handler may want the unsubscribe
    // function it has not been given yet. Nothing can be delivered in between, since events
    // arrive on later macrotasks.
    queueMicrotask(() => {
      if (!subscribed()) return;
      if (this.#synced) {
        for (const object of this.#store.list(namespace === undefined ? {} : { namespace })) {
          if (!subscribed()) return;
          this.#call(subscriber, { type: 'added', object });
        }
      }
      subscriber.ready = true;
    });
    return () => {
      const current = this.#subscribers.get(namespace);
      if (current?.delete(subscriber) !== true) return;
      this.#subscriberCount--;
      if (current.size === 0) this.#subscribers.delete(namespace);
    };
  }

  get subscriberCount(): number {
    return this.#subscriberCount;
  }

  health(): InformerHealth {
    const counters = this.#reflector.counters;
    return {
      key: this.key,
      state: this.#reflector.state,
      synced: this.#synced,
      objects: this.#store.size,
      subscribers: this.#subscriberCount,
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
    if (event.type === 'relisted') {
      for (const set of [...this.#subscribers.values()]) this.#deliverTo(set, event);
      return;
    }
    const everywhere = this.#subscribers.get(undefined);
    if (everywhere !== undefined) this.#deliverTo(everywhere, event);
    const inNamespace = this.#subscribers.get(event.object.metadata?.namespace ?? '');
    if (inNamespace !== undefined) this.#deliverTo(inNamespace, event);
  }

  #deliverTo(set: Set<Subscriber<T>>, event: InformerEvent<T>): void {
    for (const subscriber of [...set]) {
      if (subscriber.ready && set.has(subscriber)) this.#call(subscriber, event);
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
