/**
 * The Kubernetes semantics of writes, shared by the REST handlers and the built-in controllers
 * (kube's generic registry store): metadata stamping, optimistic concurrency, the status
 * subresource, generation, finalizers and graceful deletion, namespace lifecycle.
 *
 * Every method reads the current state and stages its write without awaiting in between,
 * so checks and writes are atomic on the server's single thread.
 */
import { randomUUID } from 'node:crypto';
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, internalError, invalid, notFound, staleObjectMessage, type GroupResource,
} from '../http/api-error.ts';
import type { FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { crdStorage } from '../registry/crd-types.ts';
import { apiVersionOf, type ResourceType } from '../registry/resource-type.ts';
import type { FieldValidation, SchemaHooks } from '../schema-hooks.ts';
import type { Change, ObjectStore } from '../storage/object-store.ts';
import { objectKey, type StoreEvent, type StoredObject } from '../storage/stored-object.ts';
import { kindStrategies, type StrategyLookup } from './kind-strategies.ts';
import {
  finalizersOf, isDeleting, jsonEqual, metadataOf, nameOf, namespaceOf, stringField, timestamp, withMetadata,
} from './object-meta.ts';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  dryRun: boolean;
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WriteResult {
  /** The object as served in the request's version. */
  object: JsonObject;
  /** Its JSON when the store already holds exactly that (the answer then reuses it). */
  json?: string;
  warnings: string[];
}

/** The finalizers through which the garbage collector carries out Orphan and Foreground deletion. */
export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export class ResourceStore {
  readonly #store: ObjectStore;
  readonly #hooks: SchemaHooks;
  readonly #now: () => Date;
  readonly #strategyFor: StrategyLookup;

  constructor(store: ObjectStore, hooks: SchemaHooks, now: () => Date) {
    this.#store = store;
    this.#hooks = hooks;
    this.#now = now;
    this.#strategyFor = kindStrategies(store);
  }

  get objects(): ObjectStore {
    return this.#store;
  }

  find(type: ResourceType, namespace: string, name: string): StoredObject | undefined {
    return this.#store.get(type.storage, objectKey(type.namespaced ? namespace : '', name));
  }

  /** The object in the type's served version; throws 404. */
  get(type: ResourceType, namespace: string, name: string): JsonObject {
    const stored = this.find(type, namespace, name);
    if (stored === undefined) throw notFound(type, name);
    return this.served(type, stored);
  }

  /** A stored object converted to the type's version, with read-time defaults. */
  served(type: ResourceType, stored: StoredObject): JsonObject {
    let obj = stored.object;
    if (type.conversion !== undefined) obj = type.conversion.fromStorage(obj);
    else if (obj.apiVersion !== apiVersionOf(type)) obj = { ...obj, apiVersion: apiVersionOf(type) };
    return this.#hooks.onRead(type, obj);
  }

  /** JSON of the served object, reusing the stored serialization when nothing changes it. */
  servedJson(type: ResourceType, stored: StoredObject): string {
    const obj = this.served(type, stored);
    return obj === stored.object ? stored.json : JSON.stringify(obj);
  }

  async create(type: ResourceType, namespace: string, body: JsonObject, opts: WriteOptions): Promise<WriteResult> {
    const prepared = this.prepareCreate(type, namespace, body, opts);
    if (opts.dryRun) return prepared;
    const [event] = await this.#store.write([this.#change(type, prepared.object)]);
    return { ...this.#servedEvent(type, event!), warnings: prepared.warnings };
  }

  /** Checks and stamps a new object; throws the ApiError a create would answer with. */
  prepareCreate(type: ResourceType, namespace: string, body: JsonObject, opts: Pick<WriteOptions, 'fieldValidation'>): WriteResult {
    checkTypeMeta(type, body);
    const meta = metadataOf(body);
    const bodyNamespace = stringField(meta, 'namespace') ?? '';
    if (type.namespaced && bodyNamespace !== '' && bodyNamespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    let name = stringField(meta, 'name') ?? '';
    const generateName = stringField(meta, 'generateName') ?? '';
    if (name === '' && generateName !== '') name = this.#generateName(type, namespace, generateName);
    if (name === '') {
      throw invalid(type.kind, type.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    }
    const nameErrors = pathSegmentErrors(name);
    if (nameErrors.length > 0) throw invalid(type.kind, type.group, name, nameErrors);
    if ((stringField(meta, 'resourceVersion') ?? '') !== '') {
      throw internalError(new Error('resourceVersion should not be set on objects to be created'));
    }
    if (type.namespaced) this.#checkNamespaceOpen(type, namespace, name);
    if (type.crd !== undefined) {
      const definition = this.#store.get(crdStorage, objectKey('', type.crd.name));
      if (definition === undefined || isDeleting(definition.object)) {
        throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
      }
    }
    if (this.find(type, namespace, name) !== undefined) throw alreadyExists(type, name);
    let obj: JsonObject = { ...body, apiVersion: apiVersionOf(type), kind: type.kind };
    obj = withMetadata(obj, {
      name,
      namespace: type.namespaced ? namespace : undefined,
      uid: randomUUID(),
      creationTimestamp: timestamp(this.#now()),
      generation: type.generation === 'none' ? undefined : 1,
      deletionTimestamp: undefined,
      deletionGracePeriodSeconds: undefined,
      selfLink: undefined,
    });
    if (type.statusSubresource) delete obj.status;
    const strategy = this.#strategyFor(type.storage);
    if (strategy.prepareForCreate !== undefined) obj = strategy.prepareForCreate(obj);
    return this.#admit(type, 'create', undefined, obj, undefined, opts.fieldValidation);
  }

  /**
   * Replaces an object (PUT, and the last step of PATCH). `subresource` is `status` or another
   * served subresource. Creates the object when the type allows create-on-update.
   */
  async update(
    type: ResourceType, namespace: string, name: string, body: JsonObject, opts: WriteOptions & { subresource?: string },
  ): Promise<WriteResult & { created: boolean }> {
    const existing = this.find(type, namespace, name);
    const bodyName = nameOf(body);
    if (bodyName !== '' && bodyName !== name) throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
    if (existing === undefined) {
      if (!type.allowCreateOnUpdate || opts.subresource !== undefined) throw notFound(type, name);
      const created = await this.create(type, namespace, withMetadata(body, { name, resourceVersion: undefined }), opts);
      return { ...created, created: true };
    }
    checkTypeMeta(type, body);
    const bodyNamespace = namespaceOf(body);
    if (type.namespaced && bodyNamespace !== '' && bodyNamespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const old = this.served(type, existing);
    const expectedRv = stringField(metadataOf(body), 'resourceVersion') ?? '';
    if (expectedRv !== '' && expectedRv !== String(existing.rv)) throw conflict(type, name, staleObjectMessage);
    const bodyUid = stringField(metadataOf(body), 'uid') ?? '';
    const oldUid = stringField(metadataOf(old), 'uid') ?? '';
    if (bodyUid !== '' && bodyUid !== oldUid) {
      throw invalid(type.kind, type.group, name, [{ type: 'FieldValueInvalid', field: 'metadata.uid', value: bodyUid, detail: 'field is immutable' }]);
    }
    let next = this.#carryOver(type, { ...body, apiVersion: apiVersionOf(type), kind: type.kind }, old, opts.subresource);
    const added = finalizersOf(next).filter((f) => !finalizersOf(old).includes(f));
    if (isDeleting(old) && added.length > 0) {
      throw invalid(type.kind, type.group, name, [{
        type: 'FieldValueForbidden', field: 'metadata.finalizers',
        detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
      }]);
    }
    const admitted = this.#admit(type, 'update', opts.subresource, next, old, opts.fieldValidation);
    next = admitted.object;
    if (jsonEqual(next, old) || opts.dryRun) return { object: next, warnings: admitted.warnings, created: false };
    const changes: Change[] = [this.#change(type, next)];
    if (isDeleting(next) && this.#pendingFinalizers(type, next).length === 0) changes.push({ ...changes[0]!, object: null });
    const [event] = await this.#store.write(changes);
    return { ...this.#servedEvent(type, event!), warnings: admitted.warnings, created: false };
  }

  /**
   * Deletes an object, or starts its deletion when finalizers (or the propagation policy)
   * hold it back. `deleted` tells which happened.
   */
  async delete(type: ResourceType, namespace: string, name: string, opts: DeleteOptions): Promise<{ object: JsonObject; deleted: boolean }> {
    const existing = this.find(type, namespace, name);
    if (existing === undefined) throw notFound(type, name);
    const old = this.served(type, existing);
    const meta = metadataOf(old);
    const strategy = this.#strategyFor(type.storage);
    if (strategy.undeletable?.has(name) === true) throw forbidden(type, name, 'this namespace may not be deleted');
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== meta.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(meta.uid)}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(type, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`);
    }
    const finalizers = this.#finalizersForPolicy(old, opts);
    if (!isDeleting(old)) for (const f of strategy.deletionFinalizers ?? []) if (!finalizers.includes(f)) finalizers.push(f);
    let next = withMetadata(old, { finalizers });
    if (finalizersOf(next).length === 0) next = withMetadata(next, { finalizers: undefined });
    if (this.#pendingFinalizers(type, next).length === 0) {
      if (opts.dryRun) return { object: old, deleted: true };
      const [event] = await this.#store.write([{ storage: type.storage, key: keyOf(type, old), object: null }]);
      return { object: this.#servedEvent(type, event!).object, deleted: true };
    }
    if (!isDeleting(next)) {
      const generation = metadataOf(next).generation;
      next = withMetadata(next, {
        deletionTimestamp: timestamp(this.#now()),
        deletionGracePeriodSeconds: 0,
        generation: typeof generation === 'number' ? generation + 1 : undefined,
      });
      if (strategy.onDeletionStart !== undefined) next = strategy.onDeletionStart(next);
    }
    if (jsonEqual(next, old) || opts.dryRun) return { object: next, deleted: false };
    const [event] = await this.#store.write([this.#change(type, next)]);
    return { object: this.#servedEvent(type, event!).object, deleted: false };
  }

  #finalizersForPolicy(obj: JsonObject, opts: DeleteOptions): string[] {
    const current = finalizersOf(obj);
    let orphan = current.includes(orphanFinalizer);
    let foreground = current.includes(foregroundFinalizer);
    if (opts.propagationPolicy !== undefined) {
      orphan = opts.propagationPolicy === 'Orphan';
      foreground = opts.propagationPolicy === 'Foreground';
    } else if (opts.orphanDependents !== undefined) {
      orphan = opts.orphanDependents;
    }
    const rest = current.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
    if (orphan) rest.push(orphanFinalizer);
    if (foreground) rest.push(foregroundFinalizer);
    return rest;
  }

  #pendingFinalizers(type: ResourceType, obj: JsonObject): string[] {
    return [...finalizersOf(obj), ...(this.#strategyFor(type.storage).extraFinalizers?.(obj) ?? [])];
  }

  // What an update may not change: identity and lifecycle metadata, status or everything but
  // status depending on the subresource, and what the kind's strategy protects.
  #carryOver(type: ResourceType, body: JsonObject, old: JsonObject, subresource: string | undefined): JsonObject {
    let next: JsonObject;
    if (subresource === 'status') {
      next = { ...old };
      if ('status' in body) next.status = body.status!;
      else delete next.status;
      const managedFields = metadataOf(body).managedFields;
      next = withMetadata(next, { managedFields });
    } else {
      next = { ...body };
      if (type.statusSubresource) {
        if ('status' in old) next.status = old.status!;
        else delete next.status;
      }
    }
    const oldMeta = metadataOf(old);
    next = withMetadata(next, {
      name: oldMeta.name,
      namespace: oldMeta.namespace,
      uid: oldMeta.uid,
      creationTimestamp: oldMeta.creationTimestamp,
      deletionTimestamp: oldMeta.deletionTimestamp,
      deletionGracePeriodSeconds: oldMeta.deletionGracePeriodSeconds,
      generation: oldMeta.generation,
      resourceVersion: oldMeta.resourceVersion,
      selfLink: undefined,
    });
    const strategy = this.#strategyFor(type.storage);
    if (strategy.prepareForUpdate !== undefined) next = strategy.prepareForUpdate(next, old, subresource);
    if (type.generation !== 'none' && generationChanged(type, next, old)) {
      const generation = typeof oldMeta.generation === 'number' ? oldMeta.generation : 0;
      next = withMetadata(next, { generation: generation + 1 });
    }
    return next;
  }

  #admit(type: ResourceType, operation: 'create' | 'update', subresource: string | undefined, obj: JsonObject, old: JsonObject | undefined, fieldValidation: FieldValidation): WriteResult {
    const strategy = this.#strategyFor(type.storage);
    const errors: FieldError[] = strategy.validate?.(obj, old) ?? [];
    if (errors.length > 0) throw invalid(type.kind, type.group, nameOf(obj), errors);
    const result = this.#hooks.admit({ type, operation, subresource, object: obj, oldObject: old, fieldValidation });
    switch (result.kind) {
      case 'allowed': return { object: result.object, warnings: result.warnings };
      case 'invalid': throw invalid(type.kind, type.group, nameOf(obj), result.errors);
      case 'badRequest': throw badRequest(result.message);
    }
  }

  #checkNamespaceOpen(type: ResourceType, namespace: string, name: string): void {
    const ns = this.#store.get('namespaces', objectKey('', namespace));
    const nsType: GroupResource = { group: '', resource: 'namespaces' };
    if (ns === undefined) throw notFound(nsType, namespace);
    if (isDeleting(ns.object)) {
      throw forbidden(type, name, `unable to create new content in namespace ${namespace} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }

  #generateName(type: ResourceType, namespace: string, prefix: string): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
      const name = `${prefix.slice(0, 58)}${suffix}`;
      if (this.find(type, namespace, name) === undefined) return name;
    }
    return `${prefix.slice(0, 58)}${randomUUID().slice(0, 5)}`;
  }

  #change(type: ResourceType, served: JsonObject): Change {
    const stored = type.conversion === undefined ? served : type.conversion.toStorage(served);
    return { storage: type.storage, key: keyOf(type, served), object: stored };
  }

  // The served object, and the stored JSON when they are the same object: the answer then
  // costs no serialization, and lists and watches reuse the one it caches.
  #servedEvent(type: ResourceType, event: StoreEvent): { object: JsonObject; json?: string } {
    const object = this.served(type, event.object);
    return object === event.object.object ? { object, json: event.object.json } : { object };
  }
}

function keyOf(type: ResourceType, obj: JsonObject): string {
  return objectKey(type.namespaced ? namespaceOf(obj) : '', nameOf(obj));
}

function generationChanged(type: ResourceType, next: JsonObject, old: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const { metadata: _m, status: _s, ...rest } = o;
    return type.generation === 'spec' || !('status' in o) ? rest : { ...rest, status: o.status! };
  };
  return !jsonEqual(strip(next), strip(old));
}

function checkTypeMeta(type: ResourceType, body: JsonObject): void {
  const kind = body.kind;
  const apiVersion = body.apiVersion;
  if (kind !== undefined && kind !== type.kind) {
    throw badRequest(`the kind of the object (${String(kind)}) does not match the kind of the request (${type.kind})`);
  }
  if (apiVersion !== undefined && apiVersion !== apiVersionOf(type)) {
    throw badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${apiVersionOf(type)})`);
  }
  if (body.metadata !== undefined && !isJsonObject(body.metadata)) throw badRequest('metadata must be an object');
}

// kube's ValidatePathSegmentName: a name must be usable as one URL path segment.
function pathSegmentErrors(name: string): FieldError[] {
  if (name === '.' || name === '..') return [{ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `may not be '${name}'` }];
  for (const bad of ['/', '%']) {
    if (name.includes(bad)) return [{ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `may not contain '${bad}'` }];
  }
  return [];
}
