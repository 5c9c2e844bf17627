/**
 * Serves the resources of CustomResourceDefinitions, as kube-apiserver's apiextensions
 * controllers do: a CRD whose names are free is registered (discovery, OpenAPI and routing see
 * it at once) and gets NamesAccepted and Established conditions; a deleted CRD (finalizer
 * `customresourcecleanup.apiextensions.k8s.io`) has all its objects deleted, then goes, and its
 * resources stop being served.
 */
import { ApiError } from '../http/api-error.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { finalizersOf, isDeleting, jsonEqual, nameOf, namespaceOf, withMetadata } from '../objects/object-meta.ts';
import type { ResourceStore } from '../objects/resource-store.ts';
import { conflictingNames, crdCleanupFinalizer, crdStorage, typesFromCrd } from '../registry/crd-types.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import { objectKey } from '../storage/stored-object.ts';
import { setConditions, type WantedCondition } from './conditions.ts';
import { ControllerQueue } from './controller-queue.ts';


const writeOptions = { dryRun: false, fieldValidation: 'Ignore' } as const;

export class CrdController {
  readonly #resources: ResourceStore;
  readonly #registry: TypeRegistry;
  readonly #now: () => Date;
  readonly #queue: ControllerQueue;
  readonly #servedSpecs = new Map<string, string>(); // CRD name -> JSON of the spec it is served from
  readonly #storages = new Map<string, string>(); // CRD name -> storage of its objects
  readonly #unsubscribe: () => void;
  readonly #onGone: (crdName: string, storage: string | undefined) => void;

  /** `onGone` hears of every CRD that went away, with the collection of its objects (watches end, schema hooks forget). */
  constructor(
    resources: ResourceStore, registry: TypeRegistry, now: () => Date, onError: (err: unknown) => void,
    onGone: (crdName: string, storage: string | undefined) => void,
  ) {
    this.#resources = resources;
    this.#onGone = onGone;
    this.#registry = registry;
    this.#now = now;
    this.#queue = new ControllerQueue((name) => this.#sync(name), (_k, err) => onError(err));
    this.#unsubscribe = resources.objects.subscribe((events) => {
      for (const e of events) {
        if (e.storage === crdStorage) {
          // Served before the create or update is answered, so the next request can use the new types.
          if (e.type !== 'DELETED' && !isDeleting(e.object.object)) this.#serveIfNamesFree(e.object.object);
          this.#queue.add(e.key.slice(1));
        }
        else if (e.type === 'DELETED') {
          for (const [name, storage] of this.#storages) if (storage === e.storage) this.#queue.add(name);
        }
      }
    });
  }

  /** Serves every stored CRD at once (before the server accepts requests), then syncs each. */
  start(): void {
    for (const stored of this.#resources.objects.list(crdStorage)) {
      this.#serve(stored.object);
      this.#queue.add(nameOf(stored.object));
    }
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  stop(): void {
    this.#unsubscribe();
    this.#queue.stop();
  }

  #serveIfNamesFree(crd: JsonObject): void {
    const others = this.#resources.objects.list(crdStorage).map((s) => s.object).filter((o) => nameOf(o) !== nameOf(crd));
    const conflicts = conflictingNames(crd, others);
    if (conflicts.plural.length === 0 && conflicts.kind.length === 0) this.#serve(crd);
  }

  #crdType(): ResourceType {
    return this.#registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  }

  async #sync(name: string): Promise<void> {
    const stored = this.#resources.objects.get(crdStorage, objectKey('', name));
    if (stored === undefined) {
      this.#unserve(name);
      return;
    }
    const crd = this.#resources.served(this.#crdType(), stored);
    if (isDeleting(crd)) {
      await this.#cleanUp(crd);
      return;
    }
    const others = this.#resources.objects.list(crdStorage).map((s) => s.object).filter((o) => nameOf(o) !== name);
    const conflicts = conflictingNames(crd, others);
    const accepted = conflicts.plural.length === 0 && conflicts.kind.length === 0;
    if (accepted) this.#serve(crd);
    else this.#unserve(name, false);
    const spec = crd.spec as JsonObject;
    const status = isJsonObject(crd.status) ? crd.status : {};
    const conditions: WantedCondition[] = accepted
      ? [['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'], ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted']]
      : [
        conflicts.plural.length > 0
          ? ['NamesAccepted', 'False', 'PluralConflict', `"${conflicts.plural[0]}" is already in use`]
          : ['NamesAccepted', 'False', 'KindConflict', `"${conflicts.kind[0]}" is already in use`],
        ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
      ];
    const next: JsonObject = { ...status, conditions: this.#conditions(status, conditions) };
    if (accepted) next.acceptedNames = spec.names!;
    else if (!isJsonObject(status.acceptedNames)) next.acceptedNames = { plural: '', kind: '' };
    await this.#writeStatus(crd, next);
  }

  async #cleanUp(crd: JsonObject): Promise<void> {
    if (!finalizersOf(crd).includes(crdCleanupFinalizer)) return;
    const name = nameOf(crd);
    const storage = this.#storages.get(name) ?? typesFromCrd(crd)[0]?.storage;
    const type = storage === undefined ? undefined : this.#registry.byStorage(storage);
    const status = isJsonObject(crd.status) ? crd.status : {};
    if (storage !== undefined && type !== undefined && this.#resources.objects.count(storage) > 0) {
      await this.#writeStatus(crd, { ...status, conditions: this.#conditions(status, [['Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress']]) });
      for (const s of this.#resources.objects.list(storage)) {
        if (isDeleting(s.object)) continue;
        try {
          await this.#resources.delete(type, namespaceOf(s.object), nameOf(s.object), { dryRun: false });
        } catch (err) {
          if (!(err instanceof ApiError && err.httpStatus === 404)) throw err;
        }
      }
      if (this.#resources.objects.count(storage) > 0) return; // objects with finalizers: their deletion brings us back
    }
    const latest = this.#resources.get(this.#crdType(), '', name);
    const latestStatus = isJsonObject(latest.status) ? latest.status : {};
    const done = await this.#writeStatus(latest, { ...latestStatus, conditions: this.#conditions(latestStatus, [['Terminating', 'False', 'InstanceDeletionCompleted', 'removed all instances']]) });
    const finalizers = finalizersOf(done).filter((f) => f !== crdCleanupFinalizer);
    await this.#resources.update(this.#crdType(), '', name, withMetadata(done, { finalizers }), writeOptions);
  }

  #conditions(status: JsonObject, wanted: readonly WantedCondition[]): JsonObject[] {
    const order = ['NamesAccepted', 'Established', 'Terminating'];
    return setConditions(status, wanted, this.#now()).sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)));
  }

  async #writeStatus(crd: JsonObject, status: JsonObject): Promise<JsonObject> {
    if (jsonEqual(status, crd.status)) return crd;
    const result = await this.#resources.update(this.#crdType(), '', nameOf(crd), { ...crd, status }, { ...writeOptions, subresource: 'status' });
    return result.object;
  }

  #serve(crd: JsonObject): void {
    const name = nameOf(crd);
    const specJson = JSON.stringify(crd.spec);
    if (this.#servedSpecs.get(name) === specJson) return;
    const types = typesFromCrd(crd);
    this.#registry.replace(`crd:${name}`, types);
    this.#servedSpecs.set(name, specJson);
    if (types[0] !== undefined) this.#storages.set(name, types[0].storage);
  }

  // A CRD that is gone takes its objects along, even if they were left behind (finalizer removed by hand).
  #unserve(name: string, dropObjects = true): void {
    this.#registry.remove(`crd:${name}`);
    this.#servedSpecs.delete(name);
    const storage = this.#storages.get(name);
    if (!dropObjects) return;
    this.#onGone(name, storage);
    if (storage === undefined) return;
    this.#storages.delete(name);
    const store = this.#resources.objects;
    const leftovers = store.keys(storage).map((key) => ({ storage, key, object: null }));
    if (leftovers.length > 0) void store.write(leftovers).catch(() => undefined);
  }
}
