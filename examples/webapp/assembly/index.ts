/**
 * webapp: a WebApp (image, replicas, port) becomes a Deployment and a Service that it owns.
 * The WebApp's status reports the ready replicas and a Ready condition; a finalizer lets the
 * operator delete what it created before the WebApp goes away.
 */
import {
  Obj, Request, Result, PatchType,
  api, cache, conditions, config, finalizers, log, meta, owners,
} from "wasm-operator/assemblyscript";

const FINALIZER = "example.com/webapp-cleanup";

export function reconcile(req: Request): Result {
  const app = req.get();
  if (app == null) return Result.done(); // deleted: owner references let the GC remove the rest

  if (meta.isDeleting(app)) return cleanUp(app);

  const added = finalizers.add(app, FINALIZER);
  if (added != 0 && added != 200) return Result.fail("adding the finalizer failed with HTTP " + added.toString());

  const spec = app.obj("spec");
  const image = spec.str("image", config.str("defaultImage", "nginx:1.27"));
  const replicas = spec.getI64("replicas", 1);
  const port = spec.getI64("port", 80);

  const deployment = ensure(app, desiredDeployment(app, image, replicas, port), deploymentDrift);
  if (deployment == null) return Result.fail("could not create or update the Deployment");
  if (ensure(app, desiredService(app, port), serviceDrift) == null) return Result.fail("could not create or update the Service");

  return writeStatus(app, deployment, replicas);
}

/** Deletes the children explicitly (not only through garbage collection), then lets the WebApp go. */
function cleanUp(app: Obj): Result {
  if (!finalizers.has(app, FINALIZER)) return Result.done();
  const ns = meta.namespace(app);
  const name = meta.name(app);
  for (let i = 0; i < 2; i++) {
    const r = i == 0 ? api.remove("apps/v1", "Deployment", ns, name) : api.remove("v1", "Service", ns, name);
    if (!r.ok && !r.notFound) return Result.fail("cleanup failed: " + r.message);
  }
  const removed = finalizers.remove(app, FINALIZER);
  if (removed != 0 && removed != 200 && removed != 404) return Result.fail("removing the finalizer failed with HTTP " + removed.toString());
  log.info("cleaned up " + meta.key(app));
  return Result.done();
}

function labelsFor(app: Obj): Obj {
  return new Obj()
    .setString("app.kubernetes.io/name", meta.name(app))
    .setString("app.kubernetes.io/managed-by", "webapp");
}

function desiredDeployment(app: Obj, image: string, replicas: i64, port: i64): Obj {
  const d = meta.newObject("apps/v1", "Deployment", meta.namespace(app), meta.name(app));
  d.obj("metadata").set("labels", labelsFor(app));
  owners.setController(d, app);
  const spec = d.obj("spec").setI64("replicas", replicas);
  spec.obj("selector").set("matchLabels", labelsFor(app));
  const template = spec.obj("template");
  template.obj("metadata").set("labels", labelsFor(app));
  const container = new Obj().setString("name", "web").setString("image", image);
  container.arr("ports").push(new Obj().setString("name", "http").setI64("containerPort", port));
  template.obj("spec").arr("containers").push(container);
  return d;
}

function desiredService(app: Obj, port: i64): Obj {
  const s = meta.newObject("v1", "Service", meta.namespace(app), meta.name(app));
  s.obj("metadata").set("labels", labelsFor(app));
  owners.setController(s, app);
  const spec = s.obj("spec");
  spec.set("selector", labelsFor(app));
  spec.arr("ports").push(new Obj().setString("name", "http").setI64("port", port).setString("targetPort", "http"));
  return s;
}

/** The container the operator manages inside a Deployment, or null. */
function webContainer(d: Obj): Obj | null {
  const template = d.obj("spec").obj("template");
  const containers = template.obj("spec").getArr("containers");
  return containers == null || containers.length == 0 ? null : containers.at(0).asObj();
}

function deploymentDrift(current: Obj, desired: Obj): bool {
  const c = webContainer(current);
  const d = webContainer(desired)!;
  if (c == null) return true;
  const ports = c.getArr("ports");
  const currentPort = ports == null || ports.length == 0 ? -1 : ports.at(0).asObj()!.getI64("containerPort");
  return current.obj("spec").getI64("replicas", 1) != desired.obj("spec").getI64("replicas") ||
    c.str("image") != d.str("image") ||
    currentPort != d.getArr("ports")!.at(0).asObj()!.getI64("containerPort");
}

function serviceDrift(current: Obj, desired: Obj): bool {
  const ports = current.obj("spec").getArr("ports");
  if (ports == null || ports.length == 0) return true;
  return ports.at(0).asObj()!.getI64("port") != desired.obj("spec").getArr("ports")!.at(0).asObj()!.getI64("port");
}

/**
 * Creates `desired` when the cache has no such object, or merge-patches its spec when
 * `drifted` says the live one differs. Returns the live object, or null when the API refused
 * or an object of that name belongs to someone else.
 */
function ensure(app: Obj, desired: Obj, drifted: (current: Obj, desired: Obj) => bool): Obj | null {
  const apiVersion = meta.apiVersion(desired);
  const kind = meta.kind(desired);
  const ns = meta.namespace(desired);
  const name = meta.name(desired);
  const current = cache.get(apiVersion, kind, ns, name);
  if (current == null) {
    const created = api.create(desired);
    if (created.ok) {
      log.info("created " + kind + " " + ns + "/" + name);
      return created.object();
    }
    if (created.conflict) return desired; // the cache lags a create of ours; the next event settles it
    log.error("creating " + kind + " " + ns + "/" + name + " failed", new Obj().setI64("status", created.status).setString("message", created.message));
    return null;
  }
  if (!owners.isControlledBy(current, app)) {
    log.warn(kind + " " + ns + "/" + name + " exists and is not controlled by this WebApp; leaving it alone");
    return null;
  }
  if (!drifted(current, desired)) return current;
  const patched = api.patch(apiVersion, kind, ns, name, PatchType.Merge, new Obj().set("spec", desired.obj("spec")));
  if (!patched.ok) {
    log.error("updating " + kind + " " + ns + "/" + name + " failed", new Obj().setI64("status", patched.status).setString("message", patched.message));
    return null;
  }
  log.info("updated " + kind + " " + ns + "/" + name);
  return patched.object();
}

/** Writes observedGeneration, readyReplicas and the Ready condition, only when they changed. */
function writeStatus(app: Obj, deployment: Obj, replicas: i64): Result {
  const previous = app.obj("status");
  const status = previous.cloneObj();
  const generation = meta.generation(app);
  const ready = deployment.obj("status").getI64("readyReplicas", 0);
  let changed = previous.getI64("observedGeneration", -1) != generation || previous.getI64("readyReplicas", -1) != ready;
  status.setI64("observedGeneration", generation).setI64("readyReplicas", ready);
  const summary = ready.toString() + "/" + replicas.toString() + " replicas ready";
  if (ready >= replicas) changed = conditions.set(status, "Ready", "True", "ReplicasReady", summary, generation) || changed;
  else changed = conditions.set(status, "Ready", "False", "ReplicasNotReady", summary, generation) || changed;
  if (!changed) return Result.done(); // no write, so no watch event, so no reconcile loop

  const r = api.patch("example.com/v1", "WebApp", meta.namespace(app), meta.name(app), PatchType.Merge, new Obj().set("status", status), "status");
  if (!r.ok && !r.notFound) return Result.fail("status update failed: " + r.message);
  return Result.done();
}
