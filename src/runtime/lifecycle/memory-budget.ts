/**
 * The host-wide memory budget (`--max-resident-memory`): which warm operators to suspend so
 * that the resident ones fit.
 */
import { isResident, type Phase } from './phase.ts';

/** One operator as the budget sees it. */
export interface ResidentOperator {
  name: string;
  phase: Phase;
  residentBytes: number;
  /** When a call last started or ended (`OperatorLifecycle.lastActiveMs`). */
  lastActiveMs: number;
  /** Never chosen (e.g. idle policy `never`); it still counts against the budget. */
  pinned?: boolean;
}

/** Which operators to suspend, in order, and whether the budget is met once they are. */
export interface BudgetChoice {
  suspend: string[];
  /** Resident bytes after those suspensions, counting `incomingBytes`. */
  residentBytes: number;
  /** False when even suspending every candidate leaves the total over the budget. */
  fits: boolean;
}

/**
 * Chooses warm operators to suspend, least recently active first (ties by name, so the
 * choice is reproducible), until the resident total plus `incomingBytes` (an operator about
 * to be loaded) fits in `budgetBytes`.
 *
 * Counted: operators loading, warm or busy. Not counted: those already suspending, since
 * their memory is on its way out and choosing more victims to cover it would suspend
 * operators for nothing. Only `warm`, unpinned operators are candidates: a busy one is mid-call
 * and a loading one is about to be used.
 */
export function chooseSuspensions(operators: readonly ResidentOperator[], budgetBytes: number, incomingBytes = 0): BudgetChoice {
  let residentBytes = incomingBytes;
  for (const op of operators) if (isResident(op.phase) && op.phase !== 'suspending') residentBytes += op.residentBytes;
  const candidates = operators
    .filter((op) => op.phase === 'warm' && op.pinned !== true)
    .sort((a, b) => a.lastActiveMs - b.lastActiveMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const suspend: string[] = [];
  for (const op of candidates) {
    if (residentBytes <= budgetBytes) break;
    suspend.push(op.name);
    residentBytes -= op.residentBytes;
  }
  return { suspend, residentBytes, fits: residentBytes <= budgetBytes };
}
