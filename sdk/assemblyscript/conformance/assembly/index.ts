/**
 * The AssemblyScript conformance guest: runs the steps of a ConformanceTest through the SDK's
 * own API, as docs/abi.md ("Conformance") describes, and records one result per step.
 */
import {
  Arr, Obj, Null, Str, Bool, Request, Result, PatchType, Response,
  api, cache, conditions, config, finalizers, getenv, log, meta, owners,
} from "wasm-operator/assemblyscript";

const GROUP_VERSION = "conformance.wasm-operator.dev/v1";
const KIND = "ConformanceTest";

// Kept in linear memory: survives snapshots, starts at 0 in each new instance.
let counter: i64 = 0;
// Written by the `loop` step so the optimiser cannot prove the loop has no effect.
let spins: i64 = 0;

export function reconcile(req: Request): Result {
  const test = req.get();
  if (test == null) return Result.done();
  // Steps run once per spec change: the status this guest writes triggers another reconcile.
  const observed = test.getObj("status");
  if (observed != null && observed.getI64("observedGeneration", -1) == meta.generation(test)) return Result.done();
  const spec = test.getObj("spec");
  const steps: Arr | null = spec == null ? null : spec.getArr("steps");

  const status = new Obj().setI64("observedGeneration", meta.generation(test));
  const results = status.arr("results");
  const previous = test.getObj("status");
  const kept: Arr | null = previous == null ? null : previous.getArr("conditions");
  status.set("conditions", kept == null ? new Arr() : kept.clone());

  let outcome = Result.done();
  if (steps != null) {
    for (let i = 0; i < steps.length; i++) {
      const step = steps.at(i).asObj();
      const entry = new Obj();
      if (step == null) entry.setString("error", "a step must be an object");
      else {
        const chosen = runStep(step, test, status, entry);
        if (chosen != null) outcome = chosen;
      }
      results.push(entry);
    }
  }

  const written = api.patch(GROUP_VERSION, KIND, req.namespace, req.name, PatchType.Merge, new Obj().set("status", status), "status");
  if (!written.ok && !written.notFound) {
    return Result.fail("status write failed: " + written.status.toString() + " " + written.message);
  }
  return outcome;
}

/** Runs one step, filling `entry`; returns the outcome it chooses, or null. */
function runStep(step: Obj, test: Obj, status: Obj, entry: Obj): Result | null {
  const op = step.str("op");
  const apiVersion = step.str("apiVersion");
  const kind = step.str("kind");
  const namespace = step.str("namespace");
  const name = step.str("name");

  if (op == "get") {
    const found = cache.get(apiVersion, kind, namespace, name);
    entry.setBool("found", found != null);
    if (found != null) entry.setString("resourceVersion", meta.resourceVersion(found));
  } else if (op == "list") {
    const names = entry.arr("names");
    const items = cache.list(apiVersion, kind, namespace, step.str("labelSelector"));
    for (let i = 0; i < items.length; i++) names.pushString(meta.key(items[i]));
  } else if (op == "create") {
    const object = step.getObj("object");
    record(entry, object == null ? null : api.create(object));
  } else if (op == "update") {
    record(entry, update(apiVersion, kind, namespace, name, step.getObj("set")));
  } else if (op == "patch") {
    record(entry, patch(step, apiVersion, kind, namespace, name));
  } else if (op == "delete") {
    record(entry, api.remove(apiVersion, kind, namespace, name));
  } else if (op == "ownConfigMap") {
    const cm = meta.newObject("v1", "ConfigMap", meta.namespace(test), step.str("name"));
    const data = step.getObj("data");
    if (data != null) cm.set("data", data);
    owners.setController(cm, test);
    record(entry, api.create(cm));
  } else if (op == "addFinalizer") {
    entry.setI64("status", finalizers.add(test, step.str("finalizer")));
  } else if (op == "removeFinalizer") {
    entry.setI64("status", finalizers.remove(test, step.str("finalizer")));
  } else if (op == "condition") {
    conditions.set(status, step.str("type"), step.str("status"), step.str("reason"), step.str("message"), meta.generation(test));
  } else if (op == "log") {
    logAt(step.str("level", "info"), step.str("message"), step.getObj("fields"));
  } else if (op == "counter") {
    counter++;
    entry.setI64("value", counter);
  } else if (op == "config") {
    const v = config.get(step.str("key"));
    entry.set("value", v == null ? new Null() : v);
  } else if (op == "env") {
    const v = getenv(step.str("name"));
    entry.set("value", v == null ? new Null() : new Str(v));
  } else if (op == "requeueAfter") {
    return Result.requeueAfter(step.getI64("delayMs"));
  } else if (op == "fail") {
    return Result.fail(step.str("message"), step.getBool("terminal"));
  } else if (op == "trap") {
    unreachable();
  } else if (op == "loop") {
    while (true) spins++;
  } else if (op == "grow") {
    grow(<usize>step.getI64("bytes"));
  } else {
    entry.setString("error", "unknown op \"" + op + "\"");
  }
  return null;
}

function record(entry: Obj, r: Response | null): void {
  if (r == null) {
    entry.setI64("status", 0).setString("error", "the step has no object");
    return;
  }
  entry.setI64("status", r.status);
  if (!r.ok) entry.setString("message", r.message);
}

/** GET, replace the top-level fields named in `set`, PUT. */
function update(apiVersion: string, kind: string, namespace: string, name: string, set: Obj | null): Response {
  const current = api.get(apiVersion, kind, namespace, name);
  const object = current.object();
  if (object == null) return current;
  if (set != null) {
    for (let i = 0; i < set.keys.length; i++) object.set(set.keys[i], set.values[i]);
  }
  return api.update(object);
}

function patch(step: Obj, apiVersion: string, kind: string, namespace: string, name: string): Response {
  const type = step.str("patchType");
  const body = step.get("patch");
  const payload = body == null ? new Obj() : body;
  if (type == "apply") {
    const object = payload.asObj();
    const applied = object == null ? new Obj() : object.cloneObj();
    // server-side apply needs the identity in the body; fill in what the step left out
    if (!applied.has("apiVersion")) applied.setString("apiVersion", apiVersion);
    if (!applied.has("kind")) applied.setString("kind", kind);
    const m = applied.obj("metadata");
    if (!m.has("name")) m.setString("name", name);
    if (!m.has("namespace") && namespace.length > 0) m.setString("namespace", namespace);
    return api.apply(applied, "conformance", true);
  }
  const patchType = type == "json" ? PatchType.Json : type == "strategic" ? PatchType.Strategic : PatchType.Merge;
  return api.patch(apiVersion, kind, namespace, name, patchType, payload);
}

function logAt(level: string, message: string, fields: Obj | null): void {
  if (level == "debug") log.debug(message, fields);
  else if (level == "warn") log.warn(message, fields);
  else if (level == "error") log.error(message, fields);
  else log.info(message, fields);
}

/** Allocates and touches `bytes`; past the memory limit the allocation traps. */
function grow(bytes: usize): void {
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 1, bytes);
  heap.free(ptr);
}
