/**
 * How long a failed operator waits before it is loaded again.
 */

/**
 * The crash-loop backoff: `initialDelayMs` after the first failure in a row, doubling up to
 * `maxDelayMs`. With `maxConsecutiveFailures` set, the operator stays failed after that many
 * failures in a row, until it is unloaded (its spec or module changes).
 */
export interface CrashLoopPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxConsecutiveFailures?: number;
}

/**
 * 1 s doubling to 5 min, and never giving up: kubelet's CrashLoopBackOff shape (10 s to 5 min)
 * with a shorter first delay, because reloading a wasm instance costs milliseconds, not a
 * container start. Never giving up suits a controller: the failure may be in what it talks
 * to, and it must come back by itself when that recovers.
 */
export const defaultCrashLoop: CrashLoopPolicy = { initialDelayMs: 1_000, maxDelayMs: 300_000 };

/** Delay in ms before the next load after `consecutiveFailures` (>= 1) failures, or undefined to give up. */
export function crashLoopDelay(consecutiveFailures: number, policy: CrashLoopPolicy): number | undefined {
  if (policy.maxConsecutiveFailures !== undefined && consecutiveFailures >= policy.maxConsecutiveFailures) return undefined;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, consecutiveFailures - 1));
}
