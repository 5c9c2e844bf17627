/**
 * Time as the kube client sees it. Backoff, rate limiting and timeouts all go through a
 * `Clock`, so their tests step time by hand instead of sleeping.
 */

/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/** Milliseconds since the Unix epoch, and timers measured in the same unit. */
export interface Clock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): Timer;
}

/** The process's own clock: `Date.now()` (so expiry timestamps and `Retry-After` dates compare directly) and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Resolves after `delayMs` on `clock`; rejects with the signal's reason when `signal` aborts
 * first (the timer is cancelled, so an aborted wait keeps nothing alive).
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal!.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
