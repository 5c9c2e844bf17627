/** Reading and writing the standard parts of any Kubernetes object (`apiVersion`, `kind`, `metadata`). */
import { Obj } from "./json-value";

export namespace meta {
  /** A new object `{apiVersion, kind, metadata: {name, namespace}}`; `namespace` "" for cluster-scoped kinds. */
  export function newObject(apiVersion: string, kind: string, namespace: string, name: string): Obj {
    const o = new Obj().setString("apiVersion", apiVersion).setString("kind", kind);
    const m = o.obj("metadata").setString("name", name);
    if (namespace.length > 0) m.setString("namespace", namespace);
    return o;
  }

  /** `metadata`, created when missing. */
  export function metadata(o: Obj): Obj { return o.obj("metadata"); }

  export function apiVersion(o: Obj): string { return o.str("apiVersion"); }
  export function kind(o: Obj): string { return o.str("kind"); }
  export function name(o: Obj): string { return field(o, "name"); }
  /** "" for cluster-scoped objects. */
  export function namespace(o: Obj): string { return field(o, "namespace"); }
  export function uid(o: Obj): string { return field(o, "uid"); }
  export function resourceVersion(o: Obj): string { return field(o, "resourceVersion"); }
  export function generation(o: Obj): i64 {
    const m = o.getObj("metadata");
    return m == null ? 0 : m.getI64("generation");
  }
  /** True once deletion was requested (`deletionTimestamp` is set) and finalizers hold the object. */
  export function isDeleting(o: Obj): bool { return field(o, "deletionTimestamp").length > 0; }
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  export function key(o: Obj): string {
    const ns = namespace(o);
    return ns.length > 0 ? ns + "/" + name(o) : name(o);
  }

  /** `metadata.labels`, created when missing. */
  export function labels(o: Obj): Obj { return o.obj("metadata").obj("labels"); }
  /** `metadata.annotations`, created when missing. */
  export function annotations(o: Obj): Obj { return o.obj("metadata").obj("annotations"); }
  /** The label `key`, or null. */
  export function label(o: Obj, key: string): string | null { return nested(o, "labels", key); }
  /** The annotation `key`, or null. */
  export function annotation(o: Obj, key: string): string | null { return nested(o, "annotations", key); }
}

function field(o: Obj, key: string): string {
  const m = o.getObj("metadata");
  return m == null ? "" : m.str(key);
}

function nested(o: Obj, map: string, key: string): string | null {
  const m = o.getObj("metadata");
  if (m == null) return null;
  const entries = m.getObj(map);
  return entries == null ? null : entries.getString(key);
}
