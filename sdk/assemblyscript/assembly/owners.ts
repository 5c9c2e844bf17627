/**
 * Owner references: an owned object names its owner so that the garbage collector deletes it
 * with the owner, and so that the host maps a change of the owned object back to a reconcile
 * of its owner (the controller reference).
 */
import { Arr, Obj } from "./json-value";
import { meta } from "./meta";

export namespace owners {
  /** An ownerReference to `owner` (it must have a uid, i.e. come from the API server). */
  export function reference(owner: Obj, controller: bool = true): Obj {
    return new Obj()
      .setString("apiVersion", meta.apiVersion(owner))
      .setString("kind", meta.kind(owner))
      .setString("name", meta.name(owner))
      .setString("uid", meta.uid(owner))
      .setBool("controller", controller)
      .setBool("blockOwnerDeletion", true);
  }

  /** The controller ownerReference of `o`, or null. */
  export function controllerOf(o: Obj): Obj | null {
    const m = o.getObj("metadata");
    const refs: Arr | null = m == null ? null : m.getArr("ownerReferences");
    if (refs == null) return null;
    for (let i = 0; i < refs.length; i++) {
      const r = refs.at(i).asObj();
      if (r != null && r.getBool("controller")) return r;
    }
    return null;
  }

  /** True when `owner` is the controller of `o` (matched by uid). */
  export function isControlledBy(o: Obj, owner: Obj): bool {
    const r = controllerOf(o);
    return r != null && r.str("uid") == meta.uid(owner);
  }

  /**
   * Makes `owner` the controller of `o` (in memory; send `o` to persist it). False, and `o`
   * unchanged, when another object already controls `o`: an object has one controller.
   */
  export function setController(o: Obj, owner: Obj): bool {
    const existing = controllerOf(o);
    if (existing != null && existing.str("uid") != meta.uid(owner)) return false;
    const refs = o.obj("metadata").arr("ownerReferences");
    const ref = reference(owner, true);
    for (let i = 0; i < refs.length; i++) {
      const r = refs.at(i).asObj();
      if (r != null && r.str("uid") == meta.uid(owner)) {
        refs.items[i] = ref;
        return true;
      }
    }
    refs.push(ref);
    return true;
  }
}
