/**
 * Jittered exponential backoff, shared by request retries and watch reconnects.
 */

/** Delay before retry number `attempt` (0 for the first retry), in milliseconds. */
export type Backoff = (attempt: number) => number;

/** Shape of the curve: `initialMs` doubling (by `factor`) up to `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
  /** A number in [0, 1); injected by tests. Defaults to `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the delay is drawn uniformly from [d/2, d] where
 * d = min(maxMs, initialMs * factor^attempt). Half the delay is kept so that a fleet of
 * clients never retries at once after an outage; the other half is spread at random so that
 * they do not stay in lock step afterwards.
 */
export function exponentialBackoff(options: BackoffOptions): Backoff {
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  return (attempt) => {
    const ceiling = Math.min(options.maxMs, options.initialMs * factor ** Math.max(0, attempt));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}
