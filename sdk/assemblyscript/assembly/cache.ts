/**
 * Reads from the host's shared informer cache: no API request, no waiting. Only kinds the
 * manifest watches or owns are cached (asking for another traps). The cache may lag the API
 * server by one watch event: read through `api.get` right after a write when that matters.
 */
import { Arr, Obj } from "./json-value";
import { HostCall, send } from "./host";

function ref(apiVersion: string, kind: string, namespace: string): Obj {
  const o = new Obj().setString("apiVersion", apiVersion).setString("kind", kind);
  if (namespace.length > 0) o.setString("namespace", namespace);
  return o;
}

export namespace cache {
  /** The object, or null when the cache has none by that name. `namespace` "" for cluster-scoped kinds. */
  export function get(apiVersion: string, kind: string, namespace: string, name: string): Obj | null {
    const answer = send(HostCall.CacheGet, ref(apiVersion, kind, namespace).setString("name", name));
    return answer == null ? null : answer.asObj();
  }

  /**
   * The cached objects of a kind, in namespace/name order. `namespace` "" means all
   * namespaces; `labelSelector` uses the `kubectl -l` syntax ("" selects everything).
   */
  export function list(apiVersion: string, kind: string, namespace: string = "", labelSelector: string = ""): Obj[] {
    const q = ref(apiVersion, kind, namespace);
    if (labelSelector.length > 0) q.setString("labelSelector", labelSelector);
    const answer = send(HostCall.CacheList, q);
    const out = new Array<Obj>();
    const body: Obj | null = answer == null ? null : answer.asObj();
    const items: Arr | null = body == null ? null : body.getArr("items");
    if (items == null) return out;
    for (let i = 0; i < items.length; i++) {
      const item = items.at(i).asObj();
      if (item != null) out.push(item);
    }
    return out;
  }
}
