/**
 * Kubernetes API requests through the host (`kube_request`). Every call answers a
 * `Response`, never traps: a 403 from the operator's permissions, a 409 conflict or a 503
 * when the API server is unreachable are values to look at.
 */
import { Null, Obj, Value } from "./json-value";
import { HostCall, send } from "./host";
import { resourcePath } from "./resources";
import { meta } from "./meta";
import { operatorName } from "./config";

/** The HTTP status and parsed body of one API request. */
export class Response {
  constructor(public readonly status: i32, public readonly body: Value) {}

  /** 2xx. */
  get ok(): bool { return this.status >= 200 && this.status < 300; }
  get notFound(): bool { return this.status == 404; }
  /** 409: a stale resourceVersion on update, or an existing name on create (see `reason`). */
  get conflict(): bool { return this.status == 409; }

  /** The body as an object when the request succeeded, else null. */
  object(): Obj | null { return this.ok ? this.body.asObj() : null; }
  /** The `reason` of an error Status (`NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`...), or "". */
  get reason(): string { return this.statusField("reason"); }
  /** The `message` of an error Status, or "". */
  get message(): string { return this.statusField("message"); }

  private statusField(key: string): string {
    const o = this.body.asObj();
    return o == null ? "" : o.str(key);
  }
}

/** The four kinds of PATCH the API server accepts. */
export enum PatchType { Merge, Json, Strategic, Apply }

function contentTypeOf(type: PatchType): string {
  switch (type) {
    case PatchType.Json: return "application/json-patch+json";
    case PatchType.Strategic: return "application/strategic-merge-patch+json";
    case PatchType.Apply: return "application/apply-patch+yaml"; // JSON is YAML: the body stays JSON
    default: return "application/merge-patch+json";
  }
}

function objectPath(o: Obj, subresource: string): string {
  return resourcePath(meta.apiVersion(o), meta.kind(o), meta.namespace(o), meta.name(o), subresource);
}

/** `fieldManager` for writes: the operator's name, so managedFields say who wrote what. */
function writeQuery(): Obj | null {
  const name = operatorName();
  return name.length > 0 ? new Obj().setString("fieldManager", name) : null;
}

export namespace api {
  /**
   * Sends any request. `query` holds string values; `contentType` "" means
   * `application/json`. Watches are refused by the host (declare them in the manifest).
   */
  export function request(method: string, path: string, query: Obj | null, body: Value | null, contentType: string = ""): Response {
    const r = new Obj().setString("method", method).setString("path", path);
    if (query != null && query.size > 0) r.set("query", query);
    if (contentType.length > 0) r.setString("contentType", contentType);
    if (body != null) r.set("body", body);
    const answer = send(HostCall.KubeRequest, r);
    const o: Obj | null = answer == null ? null : answer.asObj();
    if (o == null) return new Response(0, new Null());
    const b = o.get("body");
    const answerBody: Value = b == null ? new Null() : b;
    return new Response(<i32>o.getI64("status"), answerBody);
  }

  /** GET one object (fresh from the API server, unlike `cache.get`). */
  export function get(apiVersion: string, kind: string, namespace: string, name: string): Response {
    return request("GET", resourcePath(apiVersion, kind, namespace, name), null, null);
  }

  /** LIST objects; the body's `items` holds them. `namespace` "" lists all namespaces. */
  export function list(apiVersion: string, kind: string, namespace: string = "", labelSelector: string = ""): Response {
    const q = labelSelector.length > 0 ? new Obj().setString("labelSelector", labelSelector) : null;
    return request("GET", resourcePath(apiVersion, kind, namespace, ""), q, null);
  }

  /** POST `o` to its collection (namespace from `o.metadata.namespace`). */
  export function create(o: Obj): Response {
    const path = resourcePath(meta.apiVersion(o), meta.kind(o), meta.namespace(o), "");
    return request("POST", path, writeQuery(), o);
  }

  /** PUT `o`; its `metadata.resourceVersion` makes the write conditional (409 when stale). */
  export function update(o: Obj): Response {
    return request("PUT", objectPath(o, ""), writeQuery(), o);
  }

  /** PUT `o` to its status subresource: only `status` changes. */
  export function updateStatus(o: Obj): Response {
    return request("PUT", objectPath(o, "status"), writeQuery(), o);
  }

  /** PATCH one object; `subresource` "status" patches the status. For `Apply` prefer `apply`. */
  export function patch(apiVersion: string, kind: string, namespace: string, name: string, type: PatchType, body: Value, subresource: string = ""): Response {
    const q = writeQuery();
    return request("PATCH", resourcePath(apiVersion, kind, namespace, name, subresource), q, body, contentTypeOf(type));
  }

  /** Server-side apply of `o` (the fields this manager owns become exactly those in `o`). */
  export function apply(o: Obj, fieldManager: string, force: bool = true): Response {
    const q = new Obj().setString("fieldManager", fieldManager);
    if (force) q.setString("force", "true");
    return request("PATCH", objectPath(o, ""), q, o, contentTypeOf(PatchType.Apply));
  }

  /**
   * DELETE one object. `propagationPolicy` "" uses the server's default; else `Foreground`,
   * `Background` or `Orphan`. A non-empty `uid` is a precondition: the server answers 409
   * instead of deleting a newer object that reuses the name.
   */
  export function remove(apiVersion: string, kind: string, namespace: string, name: string, propagationPolicy: string = "", uid: string = ""): Response {
    let body: Obj | null = null;
    if (propagationPolicy.length > 0 || uid.length > 0) {
      const options = new Obj().setString("apiVersion", "v1").setString("kind", "DeleteOptions");
      if (propagationPolicy.length > 0) options.setString("propagationPolicy", propagationPolicy);
      if (uid.length > 0) options.obj("preconditions").setString("uid", uid);
      body = options;
    }
    return request("DELETE", resourcePath(apiVersion, kind, namespace, name), null, body);
  }
}
