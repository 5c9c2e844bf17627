/**
 * Status conditions (metav1.Condition) kept the way controllers are expected to keep them:
 * one entry per type, and `lastTransitionTime` moves only when `status` changes.
 */
import type { Condition } from './types.ts';

/** What to set; `lastTransitionTime` is the SDK's business. */
export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/** The condition of `type`, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Returns `conditions` with `update` applied (a new array; the input is left alone). The
 * transition time is `now` when the type is new or its status changed, and kept otherwise.
 */
export function setCondition(conditions: readonly Condition[] | undefined, update: ConditionUpdate, now: Date = new Date()): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime = previous && previous.status === update.status ? previous.lastTransitionTime : rfc3339(now);
  const next: Condition = { ...update, lastTransitionTime };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

/** Kubernetes timestamps have whole seconds: `2024-05-01T10:00:00Z`. */
function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
