/**
 * The host's shared cache: what its informers have seen of the kinds this operator watches or
 * owns. Reads cost no API request, and may lag the API server by one watch event; read through
 * `api.get` right after your own write when that matters.
 */
import { engineHost } from './host.ts';
import type { KubeObject, ObjectRef } from './types.ts';
import type { ListQuery } from './api.ts';

export const cache = {
  /** The object, or `undefined` if the cache has none (for the reconciled object: deleted). */
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): T | undefined {
    const query: Record<string, string> = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
    if (ref.namespace) query.namespace = ref.namespace;
    return (engineHost().cacheGet(query) as T | null) ?? undefined;
  },

  /** Objects of one kind, optionally in one namespace and matching a label selector, in namespace/name order. */
  list<T extends KubeObject = KubeObject>(query: ListQuery): T[] {
    const q: Record<string, string> = { apiVersion: query.apiVersion, kind: query.kind };
    if (query.namespace) q.namespace = query.namespace;
    if (query.labelSelector) q.labelSelector = query.labelSelector;
    return engineHost().cacheList(q).items as T[];
  },
};
