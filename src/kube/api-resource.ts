/**
 * A resource the API server serves (what discovery answers for a kind), and the paths that address it.
 */
import type { ObjectRef } from './kube-object.ts';

/** One resource of one group/version, e.g. apps/v1 `deployments` (kind Deployment, namespaced). */
export interface ApiResource {
  /** `''` for the core group. */
  group: string;
  version: string;
  /** The plural resource name used in paths. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(resource: Pick<ApiResource, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** Splits an apiVersion (`apps/v1`, `v1`) into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `/api/v1` or `/apis/apps/v1`: where a group/version is served. */
export function groupVersionPath(apiVersion: string): string {
  const { group } = parseApiVersion(apiVersion);
  return group === '' ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
}

/**
 * The collection path of a resource: all namespaces when `namespace` is absent (or the
 * resource is cluster-scoped), else one namespace.
 */
export function collectionPath(resource: ApiResource, namespace?: string): string {
  const base = groupVersionPath(apiVersionOf(resource));
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource.resource}`;
}

/** The path of one object, or of its subresource (`status`, `scale`). */
export function objectPath(resource: ApiResource, ref: ObjectRef, subresource?: string): string {
  const path = `${collectionPath(resource, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  return subresource ? `${path}/${subresource}` : path;
}
