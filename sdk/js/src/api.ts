/**
 * The Kubernetes API, through the host. Every call waits synchronously for the API server's
 * answer. `api.request` never throws and returns the raw response; the typed helpers throw
 * `ApiError` for anything but success (except `get`, which answers `undefined` for 404, and
 * `delete`, which answers `false` for an object already gone).
 */
import { engineHost } from './host.ts';
import { operatorName } from './operator.ts';
import type { KubeRequest, KubeResponse } from './host.ts';
import { ResourceNames } from './resource-path.ts';
import type { ResourceInfo } from './resource-path.ts';
import type { KubeList, KubeObject, ObjectRef, Status } from './types.ts';

/** A request the API server (or the host, for permissions: 403) refused. */
export class ApiError extends Error {
  readonly status: number;
  /** The Status `reason`: `NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, `Invalid`, ... */
  readonly reason: string;
  readonly body: unknown;

  constructor(request: KubeRequest, response: KubeResponse) {
    const status = response.body as Partial<Status> | null;
    const reason = status?.reason ?? 'Unknown';
    super(`${request.method} ${request.path}: ${response.status} ${reason}${status?.message ? `: ${status.message}` : ''}`);
    this.name = 'ApiError';
    this.status = response.status;
    this.reason = reason;
    this.body = response.body;
  }
}

/** 404: the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** 409 Conflict: someone changed the object since you read it; read it again and retry. */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && err.reason === 'Conflict';
}

/** 409 AlreadyExists: create found an object of that name. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && err.reason === 'AlreadyExists';
}

/** How `api.patch` encodes its patch (the Content-Type the API server gets). */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions {
  /** Default `merge`. */
  type?: PatchType;
  /** Patch the status subresource instead of the object. */
  subresource?: 'status';
  /** Default: the operator's name. */
  fieldManager?: string;
  /** For `apply`: take ownership of fields other managers own. */
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** A list query; `labelSelector` uses `kubectl -l` syntax. */
export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

const resources = new ResourceNames();

/** Teaches the SDK a resource plural the English rules cannot guess (see ResourceNames). */
export function registerResource(info: ResourceInfo): void {
  resources.register(info);
}

function refOf(object: KubeObject): ObjectRef {
  const { name, namespace } = object.metadata;
  if (!name) throw new TypeError(`${object.kind} has no metadata.name`);
  return namespace ? { apiVersion: object.apiVersion, kind: object.kind, namespace, name } : { apiVersion: object.apiVersion, kind: object.kind, name };
}

/**
 * Writes name a field manager, so that the API server's managedFields say which operator owns
 * which field: the caller's, else the operator's own name.
 */
function managerQuery(fieldManager: string | undefined): Record<string, string> {
  return { fieldManager: fieldManager ?? operatorName() };
}

/** Sends the request; throws ApiError unless the status is 2xx. */
function send<T>(request: KubeRequest): T {
  const response = api.request(request);
  if (response.status < 200 || response.status > 299) throw new ApiError(request, response);
  return response.body as T;
}

function put<T extends KubeObject>(object: T, subresource: 'status' | undefined, options: { fieldManager?: string }): T {
  return send<T>({ method: 'PUT', path: resources.objectPath(refOf(object), subresource), query: managerQuery(options.fieldManager), body: object });
}

export const api = {
  /** The path of one object (or its status subresource), for `api.request`. */
  objectPath(ref: ObjectRef, subresource?: 'status'): string {
    return resources.objectPath(ref, subresource);
  },

  /** The path of a collection (all namespaces when `namespace` is absent), for `api.request`. */
  collectionPath(ref: { apiVersion: string; kind: string; namespace?: string }): string {
    return resources.collectionPath(ref);
  },

  /** One raw request (see the ABI's `kube_request`); never throws for an HTTP status. */
  request<T = unknown>(request: KubeRequest): KubeResponse<T> {
    if (request.query?.watch === 'true') throw new Error('watches belong to the host: declare the kind in the manifest (watches/owns) instead');
    return engineHost().kubeRequest(request) as KubeResponse<T>;
  },

  /** Reads one object from the API server (not the cache); `undefined` if it does not exist. */
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): T | undefined {
    const request: KubeRequest = { method: 'GET', path: resources.objectPath(ref) };
    const response = api.request<T>(request);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new ApiError(request, response);
    return response.body;
  },

  /** Lists objects from the API server (prefer `cache.list`, which costs no request). */
  list<T extends KubeObject = KubeObject>(query: ListQuery): KubeList<T> {
    const request: KubeRequest = { method: 'GET', path: resources.collectionPath(query) };
    if (query.labelSelector) request.query = { labelSelector: query.labelSelector };
    return send<KubeList<T>>(request);
  },

  /** Creates `object` (in `metadata.namespace`, if any); returns it as stored. Writes use the operator's name as field manager unless told otherwise. */
  create<T extends KubeObject>(object: T, options: { fieldManager?: string } = {}): T {
    const path = resources.collectionPath({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace });
    return send<T>({ method: 'POST', path, query: managerQuery(options.fieldManager), body: object });
  },

  /** Replaces `object` (PUT); fails with 409 Conflict if it changed since you read it. */
  update<T extends KubeObject>(object: T, options: { fieldManager?: string } = {}): T {
    return put(object, undefined, options);
  },

  /** Replaces `object`'s status through the status subresource; returns the object as stored. */
  updateStatus<T extends KubeObject>(object: T, options: { fieldManager?: string } = {}): T {
    return put(object, 'status', options);
  },

  /** Patches one object; `apply` is server-side apply (pass the whole intended object). */
  patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions = {}): T {
    const type = options.type ?? 'merge';
    const query = managerQuery(options.fieldManager);
    if (options.force) query.force = 'true';
    return send<T>({
      method: 'PATCH',
      path: resources.objectPath(ref, options.subresource),
      query,
      contentType: patchContentTypes[type],
      body: patch,
    });
  },

  /** Server-side apply of `object`, the idempotent way to say "make it look like this". */
  apply<T extends KubeObject>(object: T, options: { fieldManager?: string; force?: boolean } = {}): T {
    return api.patch<T>(refOf(object), object, { type: 'apply', ...options });
  },

  /** Deletes one object; `false` if it was already gone. */
  delete(ref: ObjectRef, options: DeleteOptions = {}): boolean {
    const request: KubeRequest = { method: 'DELETE', path: resources.objectPath(ref) };
    if (options.propagationPolicy) request.body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagationPolicy };
    const response = api.request(request);
    if (response.status === 404) return false;
    if (response.status < 200 || response.status > 299) throw new ApiError(request, response);
    return true;
  },
};
