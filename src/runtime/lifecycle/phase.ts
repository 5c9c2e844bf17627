/**
 * An operator's phases and the only transitions between them, as one table.
 */
import { InvalidTransitionError } from '../errors.ts';

/**
 * Where an operator's instance is.
 * - `cold`: no instance and no snapshot to restore (never started, or its module changed).
 * - `loading`: being instantiated, from the module (running `init`) or from a snapshot.
 * - `warm`: resident and idle: the host may call into it.
 * - `busy`: a call into the guest is in flight; the host must not enter it again (JSPI keeps
 *   the guest's stack live across a suspended host call).
 * - `suspending`: its snapshot is being written; it stays resident until that ends.
 * - `suspended`: not resident; its snapshot on disk is restored on the next wake.
 * - `failed`: its instance was dropped after a trap, a timeout or a failed load; it is loaded
 *   again after a crash-loop backoff.
 */
export type Phase = 'cold' | 'loading' | 'warm' | 'busy' | 'suspending' | 'suspended' | 'failed';

/** Every phase, in lifecycle order (for status enums and docs). */
export const phases: readonly Phase[] = ['cold', 'loading', 'warm', 'busy', 'suspending', 'suspended', 'failed'];

/**
 * What happens to an operator. `trapped` covers every way a call can leave the instance
 * untrustworthy (a trap, a timeout, a guest that broke the ABI); a reconcile that returns an
 * error is a normal `callFinished`.
 */
export type LifecycleEvent =
  | 'load'
  | 'loaded'
  | 'loadFailed'
  | 'callStarted'
  | 'callFinished'
  | 'trapped'
  | 'suspend'
  | 'suspended'
  | 'suspendFailed'
  | 'unload';

/**
 * The transition table; anything missing is refused. Notable absences: `busy` has no
 * `suspend` (mid-call, guest memory and host state disagree) and no `unload` (the call must
 * end first); `loading` cannot be interrupted; a failed suspend leaves the operator `warm`,
 * resident as before, so nothing is lost.
 */
export const transitions: Readonly<Record<Phase, Readonly<Partial<Record<LifecycleEvent, Phase>>>>> = {
  cold: { load: 'loading' },
  loading: { loaded: 'warm', loadFailed: 'failed' },
  warm: { callStarted: 'busy', suspend: 'suspending', unload: 'cold' },
  busy: { callFinished: 'warm', trapped: 'failed' },
  suspending: { suspended: 'suspended', suspendFailed: 'warm' },
  suspended: { load: 'loading', unload: 'cold' },
  failed: { load: 'loading', unload: 'cold' },
};

/** The phase `event` leads to from `phase`; throws INVALID_TRANSITION when the table has no such edge. */
export function nextPhase(phase: Phase, event: LifecycleEvent, operator = '(unnamed)'): Phase {
  const next = transitions[phase][event];
  if (next === undefined) throw new InvalidTransitionError(operator, phase, event);
  return next;
}

/** True while the operator's instance holds memory that a suspend would free. */
export function isResident(phase: Phase): boolean {
  return phase === 'loading' || phase === 'warm' || phase === 'busy' || phase === 'suspending';
}
