/**
 * The garbage collector, as kube-controller-manager runs it:
 * - a dependent whose owners are all gone is deleted (background cascading deletion), and one
 *   that still has an owner loses its references to the gone ones;
 * - an owner deleted with propagationPolicy=Orphan (finalizer `orphan`) first has its
 *   references removed from every dependent, then the finalizer;
 * - an owner deleted with propagationPolicy=Foreground (finalizer `foregroundDeletion`) has
 *   its dependents deleted first, then the finalizer.
 * Owners are found by uid; one in another namespace than its dependent counts as absent.
 */
import { ApiError } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { finalizersOf, isDeleting, nameOf, namespaceOf, ownerReferencesOf, uidOf, withMetadata } from '../objects/object-meta.ts';
import { foregroundFinalizer, orphanFinalizer, type ResourceStore } from '../objects/resource-store.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import type { StoreEvent } from '../storage/stored-object.ts';
import { ControllerQueue } from './controller-queue.ts';

interface Node {
  storage: string;
  key: string;
}

const writeOptions = { dryRun: false, fieldValidation: 'Ignore' } as const;

export class GarbageCollector {
  readonly #resources: ResourceStore;
  readonly #registry: TypeRegistry;
  readonly #queue: ControllerQueue;
  readonly #byUid = new Map<string, Node>();
  readonly #dependents = new Map<string, Set<string>>(); // owner uid -> dependent uids
  readonly #owners = new Map<string, string[]>(); // dependent uid -> owner uids
  readonly #unsubscribe: () => void;

  constructor(resources: ResourceStore, registry: TypeRegistry, onError: (err: unknown) => void) {
    this.#resources = resources;
    this.#registry = registry;
    this.#queue = new ControllerQueue((uid) => this.#sync(uid), (_k, err) => onError(err));
    const store = resources.objects;
    for (const storage of store.storages()) {
      for (const stored of store.list(storage)) this.#index(storage, stored.object);
    }
    for (const uid of this.#owners.keys()) this.#queue.add(uid);
    for (const [uid, node] of this.#byUid) {
      if (this.#hasGcFinalizer(store.get(node.storage, node.key)?.object)) this.#queue.add(uid);
    }
    this.#unsubscribe = store.subscribe((events) => events.forEach((e) => this.#observe(e)));
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  stop(): void {
    this.#unsubscribe();
    this.#queue.stop();
  }

  #observe(e: StoreEvent): void {
    const obj = e.object.object;
    const uid = uidOf(obj);
    if (e.type === 'DELETED') {
      this.#byUid.delete(uid);
      // An owner waiting in foreground deletion may now be free to go.
      for (const owner of this.#owners.get(uid) ?? []) this.#queue.add(owner);
      this.#setOwners(uid, []);
      for (const dependent of this.#dependents.get(uid) ?? []) this.#queue.add(dependent);
      return;
    }
    this.#index(e.storage, obj);
    if (this.#owners.has(uid)) this.#queue.add(uid);
    if (this.#hasGcFinalizer(obj)) this.#queue.add(uid);
    // An owner that started foreground deletion lets its dependents go.
    if (isDeleting(obj)) for (const dependent of this.#dependents.get(uid) ?? []) this.#queue.add(dependent);
  }

  #index(storage: string, obj: JsonObject): void {
    const uid = uidOf(obj);
    this.#byUid.set(uid, { storage, key: `${namespaceOf(obj)}/${nameOf(obj)}` });
    this.#setOwners(uid, ownerReferencesOf(obj).map((r) => r.uid));
  }

  #setOwners(uid: string, owners: string[]): void {
    for (const old of this.#owners.get(uid) ?? []) this.#dependents.get(old)?.delete(uid);
    if (owners.length === 0) {
      this.#owners.delete(uid);
      return;
    }
    this.#owners.set(uid, owners);
    for (const owner of owners) {
      let set = this.#dependents.get(owner);
      if (set === undefined) {
        set = new Set();
        this.#dependents.set(owner, set);
      }
      set.add(uid);
    }
  }

  #hasGcFinalizer(obj: JsonObject | undefined): boolean {
    if (obj === undefined || !isDeleting(obj)) return false;
    const f = finalizersOf(obj);
    return f.includes(orphanFinalizer) || f.includes(foregroundFinalizer);
  }

  #lookup(uid: string): { type: ResourceType; obj: JsonObject } | undefined {
    const node = this.#byUid.get(uid);
    if (node === undefined) return undefined;
    const stored = this.#resources.objects.get(node.storage, node.key);
    const type = this.#registry.byStorage(node.storage);
    if (stored === undefined || type === undefined || uidOf(stored.object) !== uid) return undefined;
    return { type, obj: this.#resources.served(type, stored) };
  }

  async #sync(uid: string): Promise<void> {
    const item = this.#lookup(uid);
    if (item === undefined) return;
    await this.#processOwnerFinalizers(uid, item.obj);
    await this.#processDependent(item);
  }

  async #processOwnerFinalizers(uid: string, obj: JsonObject): Promise<void> {
    if (!this.#hasGcFinalizer(obj)) return;
    const dependents = [...(this.#dependents.get(uid) ?? [])];
    if (finalizersOf(obj).includes(orphanFinalizer)) {
      for (const d of dependents) {
        const dep = this.#lookup(d);
        if (dep === undefined) continue;
        const refs = ownerReferencesOf(dep.obj).filter((r) => r.uid !== uid);
        await this.#ignoreGone(this.#resources.update(dep.type, namespaceOf(dep.obj), nameOf(dep.obj), withMetadata(dep.obj, { ownerReferences: refs.length > 0 ? refs as unknown as JsonObject[] : undefined }), writeOptions));
      }
      await this.#removeFinalizer(uid, orphanFinalizer);
      return;
    }
    // Foreground: dependents go first (they are queued and deleted in #processDependent), and
    // the owner waits for those whose reference to it says blockOwnerDeletion, as kube's does.
    const remaining = dependents.map((d) => this.#lookup(d)).filter((d) => d !== undefined);
    for (const d of dependents) this.#queue.add(d);
    const blocking = remaining.filter((d) => ownerReferencesOf(d.obj).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) await this.#removeFinalizer(uid, foregroundFinalizer);
  }

  async #processDependent({ type, obj }: { type: ResourceType; obj: JsonObject }): Promise<void> {
    const refs = ownerReferencesOf(obj);
    if (refs.length === 0 || isDeleting(obj)) return;
    const solid: string[] = [];
    const gone: string[] = [];
    let waiting = false;
    for (const ref of refs) {
      const owner = this.#lookup(ref.uid);
      const sameScope = owner !== undefined && (!owner.type.namespaced || namespaceOf(owner.obj) === namespaceOf(obj));
      if (owner === undefined || !sameScope) gone.push(ref.uid);
      else if (isDeleting(owner.obj) && finalizersOf(owner.obj).includes(foregroundFinalizer)) {
        waiting = true;
        gone.push(ref.uid);
      } else solid.push(ref.uid);
    }
    if (gone.length === 0) return;
    const name = nameOf(obj);
    const namespace = namespaceOf(obj);
    if (solid.length > 0) {
      const kept = refs.filter((r) => solid.includes(r.uid));
      await this.#ignoreGone(this.#resources.update(type, namespace, name, withMetadata(obj, { ownerReferences: kept as unknown as JsonObject[] }), writeOptions));
      return;
    }
    const hasDependents = (this.#dependents.get(uidOf(obj))?.size ?? 0) > 0;
    const propagationPolicy = waiting && hasDependents ? 'Foreground' : 'Background';
    await this.#ignoreGone(this.#resources.delete(type, namespace, name, { dryRun: false, propagationPolicy, preconditions: { uid: uidOf(obj) } }));
  }

  async #removeFinalizer(uid: string, finalizer: string): Promise<void> {
    const item = this.#lookup(uid);
    if (item === undefined) return;
    const finalizers = finalizersOf(item.obj).filter((f) => f !== finalizer);
    await this.#ignoreGone(this.#resources.update(item.type, namespaceOf(item.obj), nameOf(item.obj), withMetadata(item.obj, { finalizers }), writeOptions));
  }

  // The object changed or went away between reading and writing: the next event brings it back.
  async #ignoreGone(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (err) {
      if (!(err instanceof ApiError && (err.httpStatus === 404 || err.httpStatus === 409))) throw err;
    }
  }
}
