/**
 * configmap-replicator: a ConfigMap labelled `replicator.wasm-operator.dev/replicate=true` (a
 * source) is copied, data and all, into every other namespace. Copies carry labels naming their
 * source, so the operator can repair a copy someone edits or deletes, fill new namespaces, and
 * delete the copies when the source goes away or loses its label.
 *
 * Requests arrive for ConfigMaps (sources, copies, or unrelated ones) and for Namespaces; each
 * reconcile reads the cache and makes that part of the world right.
 */
import { Obj, Request, Result, api, cache, config, log, meta } from "wasm-operator/assemblyscript";

const REPLICATE = "replicator.wasm-operator.dev/replicate";
const SOURCE_NAMESPACE = "replicator.wasm-operator.dev/source-namespace";
const SOURCE_NAME = "replicator.wasm-operator.dev/source-name";

export function reconcile(req: Request): Result {
  if (req.kind == "Namespace") return fillNamespace(req.name);
  const cm = req.get();
  if (cm != null && meta.label(cm, SOURCE_NAMESPACE) != null) return checkCopy(cm);
  if (cm != null && isSource(cm)) return replicate(cm);
  // gone, or no longer a source: its copies must go
  return removeCopies(req.namespace, req.name);
}

function isSource(cm: Obj): bool {
  const v = meta.label(cm, REPLICATE);
  return v != null && v == "true" && !meta.isDeleting(cm);
}

function excluded(namespace: string): bool {
  const list = config.str("exclude", "").split(",");
  for (let i = 0; i < list.length; i++) if (list[i].trim() == namespace) return true;
  return false;
}

/** Copies `source` into every namespace but its own. */
function replicate(source: Obj): Result {
  const namespaces = cache.list("v1", "Namespace");
  let failures = 0;
  for (let i = 0; i < namespaces.length; i++) {
    const ns = namespaces[i];
    const name = meta.name(ns);
    if (name == meta.namespace(source) || excluded(name) || meta.isDeleting(ns)) continue;
    if (!ensureCopy(source, name)) failures++;
  }
  return failures == 0 ? Result.done() : Result.fail(failures.toString() + " copies of " + meta.key(source) + " failed");
}

/** Puts a copy of every source into a (new) namespace. */
function fillNamespace(namespace: string): Result {
  const ns = cache.get("v1", "Namespace", "", namespace);
  if (ns == null || meta.isDeleting(ns) || excluded(namespace)) return Result.done();
  const sources = cache.list("v1", "ConfigMap", "", REPLICATE + "=true");
  let failures = 0;
  for (let i = 0; i < sources.length; i++) {
    if (meta.namespace(sources[i]) != namespace && !ensureCopy(sources[i], namespace)) failures++;
  }
  return failures == 0 ? Result.done() : Result.fail(failures.toString() + " copies into " + namespace + " failed");
}

/** A copy whose source is gone is deleted; one that drifted is repaired. */
function checkCopy(copy: Obj): Result {
  const source = cache.get("v1", "ConfigMap", meta.label(copy, SOURCE_NAMESPACE)!, meta.label(copy, SOURCE_NAME)!);
  if (source == null || !isSource(source)) {
    const r = api.remove("v1", "ConfigMap", meta.namespace(copy), meta.name(copy), "", meta.uid(copy));
    return r.ok || r.notFound || r.conflict ? Result.done() : Result.fail("deleting stale copy " + meta.key(copy) + ": " + r.message);
  }
  return ensureCopy(source, meta.namespace(copy)) ? Result.done() : Result.fail("repairing copy " + meta.key(copy) + " failed");
}

function removeCopies(namespace: string, name: string): Result {
  const copies = cache.list("v1", "ConfigMap", "", SOURCE_NAMESPACE + "=" + namespace + "," + SOURCE_NAME + "=" + name);
  for (let i = 0; i < copies.length; i++) {
    const c = copies[i];
    const r = api.remove("v1", "ConfigMap", meta.namespace(c), meta.name(c), "", meta.uid(c));
    if (!r.ok && !r.notFound && !r.conflict) return Result.fail("deleting copy " + meta.key(c) + ": " + r.message);
    log.info("deleted copy " + meta.key(c));
  }
  return Result.done();
}

/** The copy of `source` as it should be in `namespace`. */
function desiredCopy(source: Obj, namespace: string): Obj {
  const copy = meta.newObject("v1", "ConfigMap", namespace, meta.name(source));
  meta.labels(copy).setString(SOURCE_NAMESPACE, meta.namespace(source)).setString(SOURCE_NAME, meta.name(source));
  for (let k = 0; k < 2; k++) {
    const field = k == 0 ? "data" : "binaryData";
    const value = source.get(field);
    if (value != null) copy.set(field, value);
  }
  return copy;
}

function sameContent(a: Obj, b: Obj): bool {
  for (let k = 0; k < 2; k++) {
    const field = k == 0 ? "data" : "binaryData";
    const x = a.getObj(field);
    const y = b.getObj(field);
    const xs = x == null ? 0 : x.size;
    const ys = y == null ? 0 : y.size;
    if (xs != ys) return false;
    for (let i = 0; i < xs; i++) {
      const key = x!.keys[i];
      if (y!.getString(key) != x!.values[i].asString()) return false;
    }
  }
  return true;
}

/** Creates or repairs the copy of `source` in `namespace`; false when the API refused. */
function ensureCopy(source: Obj, namespace: string): bool {
  const desired = desiredCopy(source, namespace);
  const existing = cache.get("v1", "ConfigMap", namespace, meta.name(source));
  if (existing == null) {
    const r = api.create(desired);
    if (r.ok) log.info("copied " + meta.key(source) + " to " + namespace);
    return r.ok || r.conflict; // conflict: created meanwhile; its event brings us back
  }
  if (meta.label(existing, SOURCE_NAMESPACE) != meta.namespace(source) || meta.label(existing, SOURCE_NAME) != meta.name(source)) {
    log.warn("not replacing " + meta.key(existing) + ": it is not a copy made by this operator");
    return true;
  }
  if (sameContent(existing, desired)) return true;
  // Start from the live copy (its resourceVersion makes the update conditional; labels or
  // annotations others added survive) and replace only the content.
  const repaired = existing.cloneObj();
  for (let k = 0; k < 2; k++) {
    const field = k == 0 ? "data" : "binaryData";
    const value = desired.get(field);
    if (value == null) repaired.delete(field);
    else repaired.set(field, value);
  }
  const r = api.update(repaired);
  if (r.ok) log.info("repaired copy " + meta.key(existing));
  return r.ok || r.conflict;
}
