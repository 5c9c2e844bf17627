/**
 * Namespace lifecycle, as kube-controller-manager runs it: the system namespaces exist, every
 * namespace gets a `default` ServiceAccount, and a deleted namespace (phase Terminating) has its
 * contents deleted (waiting for their finalizers) before the `kubernetes` finalizer is removed
 * through `/finalize`, which lets the namespace go.
 */
import { ApiError } from '../http/api-error.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { namespaceFinalizer } from '../objects/kind-strategies.ts';
import { finalizersOf, isDeleting, jsonEqual } from '../objects/object-meta.ts';
import type { ResourceStore } from '../objects/resource-store.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import { objectKey } from '../storage/stored-object.ts';
import { conditionsOf, setConditions } from './conditions.ts';
import { ControllerQueue } from './controller-queue.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

const writeOptions = { dryRun: false, fieldValidation: 'Ignore' } as const;

export class NamespaceController {
  readonly #resources: ResourceStore;
  readonly #registry: TypeRegistry;
  readonly #queue: ControllerQueue;
  readonly #now: () => Date;
  readonly #unsubscribe: () => void;

  constructor(resources: ResourceStore, registry: TypeRegistry, now: () => Date, onError: (err: unknown) => void) {
    this.#resources = resources;
    this.#registry = registry;
    this.#now = now;
    this.#queue = new ControllerQueue((name) => this.#sync(name), (_k, err) => onError(err));
    this.#unsubscribe = resources.objects.subscribe((events) => {
      for (const e of events) {
        if (e.storage === 'namespaces') this.#queue.add(e.key.slice(1));
        else if (e.type === 'DELETED' && e.key.indexOf('/') > 0) this.#queue.add(e.key.slice(0, e.key.indexOf('/')));
      }
    });
  }

  /** Creates the system namespaces that are missing and syncs every namespace once. */
  async start(): Promise<void> {
    const nsType = this.#nsType();
    for (const name of systemNamespaces) {
      if (this.#resources.find(nsType, '', name) === undefined) {
        await this.#resources.create(nsType, '', { metadata: { name } }, writeOptions);
      }
    }
    for (const stored of this.#resources.objects.list('namespaces')) this.#queue.add(String((stored.object.metadata as JsonObject).name));
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  stop(): void {
    this.#unsubscribe();
    this.#queue.stop();
  }

  #nsType(): ResourceType {
    return this.#registry.lookup('', 'v1', 'namespaces')!;
  }

  async #sync(name: string): Promise<void> {
    const stored = this.#resources.objects.get('namespaces', objectKey('', name));
    if (stored === undefined) return;
    if (!isDeleting(stored.object)) {
      await this.#ensureDefaultServiceAccount(name);
      return;
    }
    const remaining = await this.#deleteContents(name);
    const nsType = this.#nsType();
    const ns = this.#resources.get(nsType, '', name);
    if (remaining.count > 0) {
      await this.#setConditions(ns, remaining);
      return; // the deletions of what remains bring this namespace back to the queue
    }
    const spec = isJsonObject(ns.spec) ? ns.spec : {};
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes(namespaceFinalizer)) return;
    await this.#resources.update(nsType, '', name, { ...ns, spec: { ...spec, finalizers: finalizers.filter((f) => f !== namespaceFinalizer) } }, {
      ...writeOptions, subresource: 'finalize',
    });
  }

  async #ensureDefaultServiceAccount(namespace: string): Promise<void> {
    const saType = this.#registry.lookup('', 'v1', 'serviceaccounts');
    if (saType === undefined || this.#resources.find(saType, namespace, 'default') !== undefined) return;
    try {
      await this.#resources.create(saType, namespace, { metadata: { name: 'default' } }, writeOptions);
    } catch (err) {
      // Created meanwhile, or the namespace started terminating: nothing to do.
      if (!(err instanceof ApiError && (err.httpStatus === 409 || err.httpStatus === 403 || err.httpStatus === 404))) throw err;
    }
  }

  // Deletes every namespaced object in the namespace; reports what is still there.
  async #deleteContents(namespace: string): Promise<{ count: number; resources: string[]; finalizers: Map<string, number> }> {
    const seen = new Set<string>();
    const remaining = { count: 0, resources: [] as string[], finalizers: new Map<string, number>() };
    for (const type of this.#registry.all()) {
      if (!type.namespaced || seen.has(type.storage)) continue;
      seen.add(type.storage);
      for (const stored of this.#resources.objects.list(type.storage, namespace)) {
        const name = String((stored.object.metadata as JsonObject).name);
        if (!isDeleting(stored.object)) {
          try {
            await this.#resources.delete(type, namespace, name, { dryRun: false });
          } catch (err) {
            if (!(err instanceof ApiError && err.httpStatus === 404)) throw err;
          }
        }
      }
      const left = this.#resources.objects.list(type.storage, namespace);
      if (left.length > 0) {
        remaining.count += left.length;
        remaining.resources.push(`${type.storage} has ${left.length} resource instances`);
        for (const s of left) for (const f of finalizersOf(s.object)) remaining.finalizers.set(f, (remaining.finalizers.get(f) ?? 0) + 1);
      }
    }
    return remaining;
  }

  async #setConditions(ns: JsonObject, remaining: { resources: string[]; finalizers: Map<string, number> }): Promise<void> {
    const status = isJsonObject(ns.status) ? ns.status : {};
    const finalizerText = [...remaining.finalizers].map(([f, n]) => `${f} in ${n} resource instances`).join(', ');
    const conditions = setConditions(status, [
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${remaining.resources.join(', ')}`],
      finalizerText !== ''
        ? ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizerText}`]
        : ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
    ], this.#now());
    if (jsonEqual(conditions, conditionsOf(status.conditions))) return;
    const name = String((ns.metadata as JsonObject).name);
    await this.#resources.update(this.#nsType(), '', name, { ...ns, status: { ...status, conditions } }, { ...writeOptions, subresource: 'status' });
  }
}
