/**
 * API discovery documents, from the type registry: the legacy ones (`/api`, `/apis`,
 * `/apis/{group}`, `/api/v1`, `/apis/{group}/{version}`) and the aggregated
 * `apidiscovery.k8s.io` v2 (and v2beta1) list that kubectl 1.26+ asks `/api` and `/apis` for,
 * which saves it one request per group version.
 */
import type { JsonObject } from '../json.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';

/** The `Content-Type` of an aggregated discovery answer, which is how clients recognise one. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress: string): JsonObject {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(registry: TypeRegistry, name: string): JsonObject | undefined {
  const info = registry.groups().find((g) => g.name === name);
  if (info === undefined) return undefined;
  return {
    name,
    versions: info.versions.map((v) => ({ groupVersion: groupVersion(name, v), version: v })),
    preferredVersion: { groupVersion: groupVersion(name, info.preferredVersion), version: info.preferredVersion },
  };
}

/** `/apis`: every named group. */
export function apiGroupList(registry: TypeRegistry): JsonObject {
  const groups = registry.groups().filter((g) => g.name !== '').map((g) => apiGroup(registry, g.name)!);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function apiGroupDocument(registry: TypeRegistry, group: string): JsonObject | undefined {
  const doc = apiGroup(registry, group);
  return doc === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...doc };
}

function sortedVerbs(type: ResourceType): string[] {
  return [...type.verbs].sort();
}

interface Subresource {
  name: string;
  verbs: string[];
  /** Set when the subresource answers with another kind (a Scale). */
  kind?: { group: string; version: string; kind: string };
}

function subresourcesOf(type: ResourceType): Subresource[] {
  const subs: Subresource[] = [];
  if (type.scale !== undefined) subs.push({ name: 'scale', verbs: ['get', 'patch', 'update'], kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
  if (type.statusSubresource) subs.push({ name: 'status', verbs: ['get', 'patch', 'update'] });
  for (const name of type.extraSubresources) subs.push({ name, verbs: ['update'] });
  return subs;
}

/** `/api/v1` or `/apis/{group}/{version}`, or undefined when that group version is not served. */
export function apiResourceList(registry: TypeRegistry, group: string, version: string): JsonObject | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const t of types) {
    const resource: JsonObject = { name: t.resource, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: sortedVerbs(t) };
    if (t.shortNames.length > 0) resource.shortNames = [...t.shortNames];
    if (t.categories.length > 0) resource.categories = [...t.categories];
    resources.push(resource);
    for (const sub of subresourcesOf(t)) {
      const resource: JsonObject = { name: `${t.resource}/${sub.name}`, singularName: '', namespaced: t.namespaced };
      if (sub.kind !== undefined) Object.assign(resource, { group: sub.kind.group, version: sub.kind.version, kind: sub.kind.kind });
      else resource.kind = t.kind;
      resources.push({ ...resource, verbs: sub.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

/** The aggregated list for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(registry: TypeRegistry, legacy: boolean, version: 'v2' | 'v2beta1'): JsonObject {
  const items: JsonObject[] = [];
  for (const info of registry.groups()) {
    if ((info.name === '') !== legacy) continue;
    const versions = info.versions.map((v): JsonObject => ({
      version: v,
      resources: registry.inGroupVersion(info.name, v).map(resourceDiscovery),
      freshness: 'Current',
    }));
    const metadata: JsonObject = info.name === '' ? { creationTimestamp: null } : { name: info.name, creationTimestamp: null };
    items.push({ metadata, versions });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

function resourceDiscovery(t: ResourceType): JsonObject {
  const responseKind = { group: t.group, version: t.version, kind: t.kind };
  const out: JsonObject = {
    resource: t.resource,
    responseKind,
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: sortedVerbs(t),
  };
  if (t.shortNames.length > 0) out.shortNames = [...t.shortNames];
  if (t.categories.length > 0) out.categories = [...t.categories];
  const subs = subresourcesOf(t);
  if (subs.length > 0) out.subresources = subs.map((s) => ({ subresource: s.name, responseKind: s.kind ?? responseKind, verbs: s.verbs }));
  return out;
}
