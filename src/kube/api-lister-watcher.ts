/**
 * The reflector's two calls over HTTP, for one resource in one scope.
 */
import { apiVersionOf, collectionPath, type ApiResource } from './api-resource.ts';
import type { KubeObject } from './kube-object.ts';
import type { ListerWatcher, ListPage } from './reflector.ts';
import type { KubeClient } from './rest-client.ts';

/** What an informer watches: one resource, in one namespace or all, optionally filtered by labels and fields. */
export interface InformerScope {
  resource: ApiResource;
  /** One namespace; absent for all namespaces (and ignored for cluster-scoped resources). */
  namespace?: string;
  /** `kubectl -l` syntax, applied by the API server. */
  labelSelector?: string;
  /** `kubectl --field-selector` syntax, applied by the API server. */
  fieldSelector?: string;
}

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/**
 * Lists and watches `scope` through `client`. Listed items get the `apiVersion` and `kind`
 * that list responses leave out, so cached objects look like what a GET returns. Watches ask
 * for bookmarks, so a quiet watch still advances its resourceVersion and reconnects cheaply.
 */
export function apiListerWatcher(client: KubeClient, scope: InformerScope): ListerWatcher {
  const path = collectionPath(scope.resource, scope.namespace);
  const apiVersion = apiVersionOf(scope.resource);
  const { kind } = scope.resource;
  const selectors = { labelSelector: scope.labelSelector || undefined, fieldSelector: scope.fieldSelector || undefined };
  return {
    async list({ limit, continue: token, signal }): Promise<ListPage> {
      const body = await client.call<ListBody>({ method: 'GET', path, query: { ...selectors, limit, continue: token }, signal });
      const page: ListPage = {
        items: (body.items ?? []).map((item) => ({ apiVersion, kind, ...item })),
        resourceVersion: body.metadata?.resourceVersion ?? '',
      };
      if (body.metadata?.continue) page.continue = body.metadata.continue;
      return page;
    },
    watch({ resourceVersion, timeoutSeconds, idleTimeoutMs, signal }) {
      return client.watch({ path, query: { ...selectors, resourceVersion, timeoutSeconds, allowWatchBookmarks: true }, idleTimeoutMs, signal });
    },
  };
}
