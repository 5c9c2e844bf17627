/**
 * Finalizers: names in `metadata.finalizers` that hold an object in the API server after
 * deletion was requested, until their controller has cleaned up and removed them.
 *
 * Typical flow: on each reconcile `finalizers.add` (a no-op once present); when
 * `meta.isDeleting(o)`, clean up, then `finalizers.remove`.
 */
import { Arr, Obj } from "./json-value";
import { meta } from "./meta";
import { api } from "./api";

// A stale cache is the usual cause of a 409; three fresh reads are more than enough.
const ATTEMPTS = 3;

function list(o: Obj): Arr | null {
  const m = o.getObj("metadata");
  return m == null ? null : m.getArr("finalizers");
}

function edit(o: Obj, name: string, add: bool): bool {
  const present = finalizers.has(o, name);
  if (present == add) return false;
  if (add) o.obj("metadata").arr("finalizers").pushString(name);
  else {
    const l = list(o)!;
    l.removeAt(l.indexOfString(name));
  }
  return true;
}

/** Replaces the fields of `target` with those of `source` (so callers holding `target` see the new state). */
function adopt(target: Obj, source: Obj): void {
  target.keys = source.keys;
  target.values = source.values;
}

function persist(o: Obj, name: string, add: bool): i32 {
  let current = o;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (!edit(current, name, add)) {
      if (current !== o) adopt(o, current);
      return 0;
    }
    const r = api.update(current);
    if (r.ok) {
      const fresh = r.object();
      if (fresh != null) adopt(o, fresh);
      return r.status;
    }
    if (!r.conflict || attempt == ATTEMPTS - 1) {
      edit(current, name, !add); // the server did not take it: leave the caller's copy as it was
      return r.status;
    }
    const reread = api.get(meta.apiVersion(o), meta.kind(o), meta.namespace(o), meta.name(o));
    const fresh = reread.object();
    if (fresh == null) return reread.status;
    current = fresh;
  }
  return 0; // not reached: the loop returns on its last attempt
}

export namespace finalizers {
  /** True when `o` carries the finalizer `name`. */
  export function has(o: Obj, name: string): bool {
    const l = list(o);
    return l != null && l.indexOfString(name) >= 0;
  }

  /**
   * Adds `name` to `o`'s finalizers and updates `o` in the API server (re-reading it on a
   * conflict, up to three times). Returns the HTTP status, or 0 when `o` already had it.
   * On success `o` holds the server's copy (with its new resourceVersion); on failure `o` is unchanged.
   */
  export function add(o: Obj, name: string): i32 { return persist(o, name, true); }

  /** Removes `name` from `o`'s finalizers, like `add`. Returns 0 when `o` did not have it. On failure `o` is unchanged. */
  export function remove(o: Obj, name: string): i32 { return persist(o, name, false); }
}
