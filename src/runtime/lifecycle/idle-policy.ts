/**
 * When an idle operator is suspended to disk: the per-operator `IdlePolicy`.
 */
import { AdaptivePolicy, type AdaptiveOptions } from './adaptive-policy.ts';

/** A policy as configured (`spec.idlePolicy`, parsed). */
export type IdlePolicySpec = { kind: 'never' } | { kind: 'immediate' } | { kind: 'after'; idleMs: number } | { kind: 'adaptive' };

/** What the host knows when it asks whether to suspend an idle (warm, nothing due) operator. */
export interface IdleInput {
  nowMs: number;
  /** When its last call returned. */
  idleSinceMs: number;
  /** Its queue's next due time (a requeueAfter, a retry, a resync), if any. */
  nextDueAtMs?: number;
}

/**
 * The answer: suspend now, or stay warm. `untilMs` is when to ask again if it is still idle;
 * without it, ask again only after its next call.
 */
export type IdleDecision = { kind: 'suspend' } | { kind: 'stayWarm'; untilMs?: number };

/**
 * What the host tells a policy as it happens. `arrival`: a watch event was routed to the
 * operator (timers are not arrivals: they are known in advance and reach the policy as
 * `nextDueAtMs`). `suspended` / `restored`: how long a snapshot write or a restore took.
 */
export type PolicyObservation =
  | { kind: 'arrival'; atMs: number }
  | { kind: 'suspended'; durationMs: number }
  | { kind: 'restored'; durationMs: number };

/**
 * Decides when one operator sleeps and when it wakes. One instance per operator: a policy may
 * learn from what it observes. Pure: it reads time only from its inputs and sets no timers.
 */
export interface IdlePolicy {
  readonly spec: IdlePolicySpec;
  observe(observation: PolicyObservation): void;
  whenIdle(input: IdleInput): IdleDecision;
  /** When to start restoring a suspended operator so that work due at `dueAtMs` starts on time. */
  wakeAtMs(dueAtMs: number): number;
}

/** Stays warm for ever (the memory budget may still suspend it, unless the host pins it). */
function never(): IdlePolicy {
  return { spec: { kind: 'never' }, observe() {}, whenIdle: () => ({ kind: 'stayWarm' }), wakeAtMs: (dueAtMs) => dueAtMs };
}

/** Suspends as soon as it is idle: the Rust prototype's behaviour, the least memory and the most restores. */
function immediate(): IdlePolicy {
  return { spec: { kind: 'immediate' }, observe() {}, whenIdle: () => ({ kind: 'suspend' }), wakeAtMs: (dueAtMs) => dueAtMs };
}

/** Suspends once it has been idle for `idleMs`. */
function after(idleMs: number): IdlePolicy {
  return {
    spec: { kind: 'after', idleMs },
    observe() {},
    whenIdle: ({ nowMs, idleSinceMs }) => (nowMs - idleSinceMs >= idleMs ? { kind: 'suspend' } : { kind: 'stayWarm', untilMs: idleSinceMs + idleMs }),
    wakeAtMs: (dueAtMs) => dueAtMs,
  };
}

/** A fresh policy for one operator. */
export function createIdlePolicy(spec: IdlePolicySpec, adaptive?: AdaptiveOptions): IdlePolicy {
  switch (spec.kind) {
    case 'never':
      return never();
    case 'immediate':
      return immediate();
    case 'after':
      return after(spec.idleMs);
    case 'adaptive':
      return new AdaptivePolicy(adaptive);
  }
}
