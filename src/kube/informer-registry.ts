/**
 * The host's informers, shared: one list+watch per scope however many operators subscribe.
 */
import { apiVersionOf } from './api-resource.ts';
import { apiListerWatcher, type InformerScope } from './api-lister-watcher.ts';
import { systemClock, type Clock } from './clock.ts';
import { Informer, type InformerHandler, type InformerHealth, type InformerOptions, type InformerReader } from './informer.ts';
import type { KubeObject } from './kube-object.ts';
import { formatLabelSelector, parseLabelSelector } from './label-selector.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import type { ListOptions } from './object-store.ts';
import type { ReflectorState } from './reflector.ts';
import type { KubeClient } from './rest-client.ts';

/** A subscriber's hold on a shared informer. */
export interface InformerSubscription {
  /**
   * What the subscriber reads: the shared informer's cache, narrowed to the subscription's
   * namespace when it has one (a folded informer holds every namespace). Await `synced()`.
   */
  readonly informer: InformerReader;
  /** Releases the hold (calling it again does nothing); the last release stops the watch. */
  unsubscribe(): void;
}

/** Options of the registry and of every informer it makes. */
export interface InformerRegistryOptions {
  clock?: Clock;
  logger?: KubeLogger;
  /**
   * Drop `metadata.managedFields` from cached objects (default true): server-side apply's
   * bookkeeping is often the largest part of an object, and no reconcile reads it from the
   * cache (a GET through the API still returns it).
   */
  dropManagedFields?: boolean;
  /**
   * Serve namespaced scopes of one resource and selector from one informer of all namespaces
   * (default true). A hundred operators each watching its own namespace then cost one list,
   * one watch connection and one cache instead of a hundred; each subscriber still sees only
   * its namespace. When the cluster-wide list is forbidden (403, e.g. RBAC that grants
   * namespaces one by one), those scopes get an informer per namespace instead.
   */
  foldNamespaces?: boolean;
  reflector?: InformerOptions<KubeObject>['reflector'];
}
/**
 * The key two scopes share an informer under: resource, namespace (dropped for cluster-scoped
 * resources), and label and field selectors in canonical form, so `a=1,b=2` and `b=2,a=1`
 * share. E.g. `apps/v1/deployments ns=shop labels=app=web`.
 */
export function informerKey(scope: InformerScope): string {
  const parts = [`${apiVersionOf(scope.resource)}/${scope.resource.resource}`];
  if (scope.resource.namespaced && scope.namespace) parts.push(`ns=${scope.namespace}`);
  const labels = scope.labelSelector ? formatLabelSelector(parseLabelSelector(scope.labelSelector)) : '';
  if (labels) parts.push(`labels=${labels}`);
  const fields = scope.fieldSelector?.split(',').map((f) => f.trim()).filter((f) => f !== '').sort().join(',');
  if (fields) parts.push(`fields=${fields}`);
  return parts.join(' ');
}

interface Entry {
  informer: Informer;
  /** Subscriptions served, over all its slots. */
  holds: number;
  slots: Set<Slot>;
}

/**
 * The subscriptions to one scope (one `informerKey`): they share one view, and move
 * together if the informer serving them changes (a folded list that is forbidden).
 */
interface Slot {
  key: string;
  scope: InformerScope;
  /** Set when the scope is one namespace of a namespaced resource. */
  namespace: string | undefined;
  entry: Entry;
  view: InformerReader;
  handlers: Map<symbol, { handler: InformerHandler; detach: () => void }>;
}

/**
 * Reference-counted informers.
 *
 * Guarantees: one informer (one list, one watch) per `informerKey`, started by the first
 * subscription and stopped when the last one is released; a later subscription to the same
 * key starts a fresh informer. With `foldNamespaces` (the default), namespaced scopes share
 * the informer of their resource and selectors in all namespaces, and each subscription
 * receives events of its namespace only and reads its namespace only. If that informer's
 * first list is refused with 403, its namespaced subscriptions move to informers of their
 * own namespaces (each receives its objects once, from the new informer), and this registry
 * does not fold that key again. `health()` lists every live informer, so none can die
 * silently.
 */
export class InformerRegistry {
  readonly #client: KubeClient;
  readonly #options: InformerRegistryOptions;
  readonly #clock: Clock;
  readonly #logger: KubeLogger;
  readonly #entries = new Map<string, Entry>();
  readonly #slots = new Map<string, Slot>();
  /** Keys of all-namespace informers whose list was forbidden: never folded into again. */
  readonly #unfoldable = new Set<string>();
  readonly #stopping = new Set<Promise<void>>();

  constructor(client: KubeClient, options: InformerRegistryOptions = {}) {
    this.#client = client;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Subscribes `handler` to the informer for `scope`, starting it if needed. Throws
   * `LabelSelectorError` for a selector that does not parse.
   */
  subscribe(scope: InformerScope, handler: InformerHandler): InformerSubscription {
    const key = informerKey(scope);
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      const namespace = scope.resource.namespaced && scope.namespace ? scope.namespace : undefined;
      const wide = { ...scope, namespace: undefined };
      const fold = namespace !== undefined && this.#options.foldNamespaces !== false && !this.#unfoldable.has(informerKey(wide));
      const created: Slot = { key, scope, namespace, entry: this.#entry(fold ? wide : scope), view: undefined as unknown as InformerReader, handlers: new Map() };
      created.view = readerFor(key, () => created.entry.informer, namespace);
      created.entry.slots.add(created);
      this.#slots.set(key, (slot = created));
    }
    const held = slot;
    const id = Symbol(key);
    held.handlers.set(id, { handler, detach: held.entry.informer.subscribe(handler, held.namespace) });
    held.entry.holds++;
    let released = false;
    return {
      informer: held.view,
      unsubscribe: () => {
        if (released) return;
        released = true;
        this.#release(held, id);
      },
    };
  }

  /** The live informer serving `scope` (an informer of all namespaces when folded), if any subscriber holds one. */
  get(scope: InformerScope): Informer | undefined {
    return this.#slots.get(informerKey(scope))?.entry.informer;
  }

  /** Live informers. */
  get size(): number {
    return this.#entries.size;
  }

  health(): InformerHealth[] {
    return [...this.#entries.values()].map((e) => e.informer.health());
  }

  /** Stops every informer (subscriptions become inert); resolves when all watches are closed. */
  async stop(): Promise<void> {
    for (const entry of this.#entries.values()) this.#track(entry.informer.stop());
    this.#entries.clear();
    this.#slots.clear();
    await Promise.all(this.#stopping);
  }

  /** The informer for `scope`, started if new. */
  #entry(scope: InformerScope): Entry {
    const key = informerKey(scope);
    const existing = this.#entries.get(key);
    if (existing !== undefined) return existing;
    const entry: Entry = { informer: undefined as unknown as Informer, holds: 0, slots: new Set() };
    entry.informer = new Informer(key, apiListerWatcher(this.#client, scope), {
      clock: this.#clock,
      logger: this.#logger,
      ...(this.#options.dropManagedFields === false ? {} : { transform: dropManagedFields }),
      ...(this.#options.reflector ? { reflector: this.#options.reflector } : {}),
      ...(scope.resource.namespaced && !scope.namespace ? { onStateChange: (state: ReflectorState) => this.#onWideState(entry, state) } : {}),
    });
    this.#entries.set(key, entry);
    entry.informer.start();
    return entry;
  }

  #release(slot: Slot, id: symbol): void {
    const held = slot.handlers.get(id)!;
    held.detach();
    slot.handlers.delete(id);
    const entry = slot.entry;
    if (slot.handlers.size === 0) {
      entry.slots.delete(slot);
      // After stop() the key may already belong to a newer slot: leave that one alone.
      if (this.#slots.get(slot.key) === slot) this.#slots.delete(slot.key);
    }
    if (--entry.holds > 0) return;
    if (this.#entries.get(entry.informer.key) === entry) this.#entries.delete(entry.informer.key);
    this.#track(entry.informer.stop());
  }

  /** An informer of all namespaces whose first list is forbidden hands its folded subscriptions to informers of their namespaces. */
  #onWideState(entry: Entry, state: ReflectorState): void {
    if (state.phase !== 'backingOff' || state.next !== 'list' || state.lastError.status !== 403 || entry.informer.hasSynced) return;
    const folded = [...entry.slots].filter((slot) => slot.namespace !== undefined);
    if (folded.length === 0 || this.#entries.get(entry.informer.key) !== entry) return;
    this.#unfoldable.add(entry.informer.key);
    this.#logger.log('warn', 'informer.unfolded', {
      informer: entry.informer.key,
      reason: 'listing all namespaces is forbidden; watching each namespace on its own',
      namespaces: folded.length,
      error: state.lastError.message,
    });
    for (const slot of folded) {
      entry.slots.delete(slot);
      entry.holds -= slot.handlers.size;
      slot.entry = this.#entry(slot.scope);
      slot.entry.slots.add(slot);
      slot.entry.holds += slot.handlers.size;
      for (const held of slot.handlers.values()) {
        held.detach();
        held.detach = slot.entry.informer.subscribe(held.handler);
      }
    }
    if (entry.holds > 0) return; // a subscriber of all namespaces still needs it (and sees the 403 in its health)
    this.#entries.delete(entry.informer.key);
    this.#track(entry.informer.stop());
  }

  #track(stopping: Promise<void>): void {
    this.#stopping.add(stopping);
    void stopping.finally(() => this.#stopping.delete(stopping));
  }
}

/**
 * The subscription's view, named by its own scope's key: reads go to whichever informer
 * serves it now (a fallback may change it), narrowed to `namespace`; `synced()` follows a
 * fallback instead of rejecting; `health()` is the serving informer's.
 */
function readerFor(key: string, informer: () => Informer, namespace: string | undefined): InformerReader {
  const narrow = (options: ListOptions = {}): ListOptions | undefined => {
    if (namespace === undefined) return options;
    if (options.namespace !== undefined && options.namespace !== namespace) return undefined;
    return { ...options, namespace };
  };
  return {
    key,
    get hasSynced() {
      return informer().hasSynced;
    },
    get size() {
      return namespace === undefined ? informer().size : informer().list({ namespace }).length;
    },
    async synced() {
      for (;;) {
        const serving = informer();
        try {
          return await serving.synced();
        } catch (err) {
          if (informer() === serving) throw err;
        }
      }
    },
    get(ref) {
      if (namespace !== undefined && ref.namespace !== namespace) return undefined;
      return informer().get(ref);
    },
    list(options) {
      const narrowed = narrow(options);
      return narrowed === undefined ? [] : informer().list(narrowed);
    },
    health: () => informer().health(),
  };
}

function dropManagedFields(object: KubeObject): KubeObject {
  if (object.metadata?.managedFields === undefined) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
