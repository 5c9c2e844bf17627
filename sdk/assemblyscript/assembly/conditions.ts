/**
 * Status conditions (`status.conditions`, the `metav1.Condition` shape): one entry per type,
 * whose `lastTransitionTime` moves only when its `status` changes, so readers can tell how long
 * a resource has been (un)ready.
 */
import { Arr, Obj } from "./json-value";
import { now, rfc3339 } from "./time";

function find(status: Obj, type: string): i32 {
  const list = status.getArr("conditions");
  if (list == null) return -1;
  for (let i = 0; i < list.length; i++) {
    const c = list.at(i).asObj();
    if (c != null && c.str("type") == type) return i;
  }
  return -1;
}

export namespace conditions {
  /** The condition of `type` in `status`, or null. */
  export function get(status: Obj, type: string): Obj | null {
    const i = find(status, type);
    return i < 0 ? null : status.getArr("conditions")!.at(i).asObj();
  }

  /** True when the condition of `type` exists with status "True". */
  export function isTrue(status: Obj, type: string): bool {
    const c = get(status, type);
    return c != null && c.str("status") == "True";
  }

  /**
   * Sets the condition of `type` in `status` (creating `status.conditions` when missing).
   * `lastTransitionTime` becomes now only when the condition is new or its status changes.
   * `observedGeneration` < 0 leaves that field out. Returns true when anything changed.
   */
  export function set(status: Obj, type: string, conditionStatus: string, reason: string, message: string, observedGeneration: i64 = -1): bool {
    const list: Arr = status.arr("conditions");
    const i = find(status, type);
    const previous: Obj | null = i < 0 ? null : list.at(i).asObj();
    const transitioned = previous == null || previous.str("status") != conditionStatus;
    const c = new Obj().setString("type", type).setString("status", conditionStatus);
    if (observedGeneration >= 0) c.setI64("observedGeneration", observedGeneration);
    c.setString("lastTransitionTime", transitioned ? rfc3339(now()) : previous!.str("lastTransitionTime"));
    c.setString("reason", reason).setString("message", message);
    const changed = transitioned || previous!.str("reason") != reason || previous!.str("message") != message ||
      (observedGeneration >= 0 && previous!.getI64("observedGeneration", -1) != observedGeneration);
    if (i < 0) list.push(c);
    else list.items[i] = c;
    return changed;
  }

  /** Removes the condition of `type`; false when there was none. */
  export function remove(status: Obj, type: string): bool {
    const i = find(status, type);
    if (i < 0) return false;
    status.getArr("conditions")!.removeAt(i);
    return true;
  }
}
