/** Status conditions as the built-in controllers keep them (kube's meta.SetStatusCondition rules). */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { timestamp } from '../objects/object-meta.ts';

export type WantedCondition = [type: string, status: 'True' | 'False', reason: string, message: string];

/**
 * The conditions of `status` with `wanted` set: others kept, the wanted ones replaced, and
 * lastTransitionTime kept where a condition's status did not change.
 */
export function setConditions(status: JsonObject, wanted: readonly WantedCondition[], now: Date): JsonObject[] {
  const old = conditionsOf(status.conditions);
  const out = old.filter((c) => !wanted.some(([type]) => type === c.type));
  for (const [type, s, reason, message] of wanted) {
    const prev = old.find((c) => c.type === type);
    const lastTransitionTime = prev !== undefined && prev.status === s ? prev.lastTransitionTime! : timestamp(now);
    out.push({ type, status: s, lastTransitionTime, reason, message });
  }
  return out;
}

export function conditionsOf(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
