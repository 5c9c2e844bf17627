/**
 * What one reconcile of one key says about that key's future.
 */
import type { Backoff } from './backoff.ts';

/**
 * The outcome of a reconcile. It cannot say two things at once (controller-runtime's
 * `Result{RequeueAfter}` returned with an error is ambiguous; this union is not).
 * - `done`: wait for the next watched change.
 * - `requeueAfter`: run again after `delayMs` even if nothing changes (e.g. poll something external).
 * - `failed`: `terminal` failures are counted and logged but never retried (retrying cannot
 *   help, e.g. an invalid spec); others are retried with the key's exponential backoff.
 */
export type ReconcileResult =
  | { kind: 'done' }
  | { kind: 'requeueAfter'; delayMs: number }
  | { kind: 'failed'; error: Error; terminal: boolean };

/**
 * Milliseconds until the key runs again, or undefined to wait for a change. `failures` is how
 * many times the key had failed in a row before this result.
 */
export function nextRunDelay(result: ReconcileResult, failures: number, backoff: Backoff): number | undefined {
  switch (result.kind) {
    case 'done':
      return undefined;
    case 'requeueAfter':
      return result.delayMs;
    case 'failed':
      return result.terminal ? undefined : backoff(failures);
  }
}
