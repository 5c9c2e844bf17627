/**
 * ring: operator i watches the TestResources in namespace ring-i and copies each one's nonce
 * to the TestResource of the same name in ring-(i+1 mod N). N operators form a ring: a nonce
 * written into ring-0 travels through every operator and back (the prototype paper's benchmark).
 */
import { Obj, Request, Result, PatchType, api, config, log, meta } from "wasm-operator/assemblyscript";

const API_VERSION = "ring.wasm-operator.dev/v1";
const KIND = "TestResource";

let ownNamespace = "";
let nextNamespace = "";

export function init(): Result {
  const index = config.int("index", -1);
  const size = config.int("size", 0);
  if (size < 1 || index < 0 || index >= size) {
    return Result.fail("config needs 0 <= index < size; got index " + index.toString() + ", size " + size.toString(), true);
  }
  const prefix = config.str("namespacePrefix", "ring-");
  ownNamespace = prefix + index.toString();
  nextNamespace = prefix + ((index + 1) % size).toString();
  return Result.done();
}

export function reconcile(req: Request): Result {
  if (req.namespace != ownNamespace) return Result.done(); // another operator's part of the ring
  const source = req.get();
  if (source == null) return Result.done();
  const nonce = source.obj("spec").str("nonce");

  // Patch first: one request in the usual case. Kubernetes turns a patch that changes nothing
  // into a no-op without a watch event, so an unchanged nonce stops going round.
  const patch = new Obj();
  patch.obj("spec").setString("nonce", nonce);
  const patched = api.patch(API_VERSION, KIND, nextNamespace, req.name, PatchType.Merge, patch);
  if (patched.ok) {
    log.debug("passed nonce on", new Obj().setString("to", nextNamespace).setString("nonce", nonce));
    return Result.done();
  }
  if (!patched.notFound) return Result.fail("patching " + nextNamespace + "/" + req.name + ": " + patched.message);

  const created = meta.newObject(API_VERSION, KIND, nextNamespace, req.name);
  created.set("spec", patch.obj("spec"));
  const r = api.create(created);
  if (r.ok || r.conflict) return Result.done(); // conflict: created meanwhile, and its own event follows
  return Result.fail("creating " + nextNamespace + "/" + req.name + ": " + r.message);
}
