/**
 * The host's informers, shared: one list+watch per scope however many operators subscribe.
 */
import { apiVersionOf } from './api-resource.ts';
import { apiListerWatcher, type InformerScope } from './api-lister-watcher.ts';
import { systemClock, type Clock } from './clock.ts';
import { Informer, type InformerHandler, type InformerHealth, type InformerOptions } from './informer.ts';
import type { KubeObject } from './kube-object.ts';
import { formatLabelSelector, parseLabelSelector } from './label-selector.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import type { KubeClient } from './rest-client.ts';

/** A subscriber's hold on a shared informer. */
export interface InformerSubscription {
  /** The shared informer: read its cache synchronously, await `synced()`. */
  readonly informer: Informer;
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
  holds: number;
}

/**
 * Reference-counted informers.
 *
 * Guarantees: one informer (one list, one watch) per `informerKey`, started by the first
 * subscription and stopped when the last one is released; a later subscription to the same
 * key starts a fresh informer. `health()` lists every live informer, so none can die silently.
 */
export class InformerRegistry {
  readonly #client: KubeClient;
  readonly #options: InformerRegistryOptions;
  readonly #clock: Clock;
  readonly #logger: KubeLogger;
  readonly #entries = new Map<string, Entry>();
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
    let entry = this.#entries.get(key);
    if (!entry) {
      const informer = new Informer(key, apiListerWatcher(this.#client, scope), {
        clock: this.#clock,
        logger: this.#logger,
        ...(this.#options.dropManagedFields === false ? {} : { transform: dropManagedFields }),
        ...(this.#options.reflector ? { reflector: this.#options.reflector } : {}),
      });
      entry = { informer, holds: 0 };
      this.#entries.set(key, entry);
      informer.start();
    }
    entry.holds++;
    const held = entry;
    const unsubscribeHandler = held.informer.subscribe(handler);
    let released = false;
    return {
      informer: held.informer,
      unsubscribe: () => {
        if (released) return;
        released = true;
        unsubscribeHandler();
        if (--held.holds > 0) return;
        // After stop() the key may already belong to a newer informer: leave that one alone.
        if (this.#entries.get(key) === held) this.#entries.delete(key);
        this.#track(held.informer.stop());
      },
    };
  }

  /** The live informer for `scope`, if any subscriber holds one. */
  get(scope: InformerScope): Informer | undefined {
    return this.#entries.get(informerKey(scope))?.informer;
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
    await Promise.all(this.#stopping);
  }

  #track(stopping: Promise<void>): void {
    this.#stopping.add(stopping);
    void stopping.finally(() => this.#stopping.delete(stopping));
  }
}

function dropManagedFields(object: KubeObject): KubeObject {
  if (object.metadata?.managedFields === undefined) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
