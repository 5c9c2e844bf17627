/**
 * Retry delays for keys whose reconcile failed, shaped like client-go's workqueue rate
 * limiters: a per-key exponential delay, and an optional bucket that bounds the retry rate
 * of a whole queue so that a thousand failing keys do not all retry at once.
 */
import type { Clock } from '../clock.ts';

/** Delay in ms before the next try of a key that has already failed `failures` times in a row. */
export type Backoff = (failures: number) => number;

/**
 * `baseMs` doubling per failure up to `capMs`: with client-go's defaults (5 ms, 1000 s) the
 * 1st retry waits 5 ms, the 10th about 2.6 s, the 19th and later 1000 s. No jitter: keys are
 * independent and a queue's retry bucket already spreads a storm.
 */
export function exponentialBackoff(baseMs: number, capMs: number): Backoff {
  if (!(baseMs > 0) || !(capMs >= baseMs)) {
    throw new RangeError(`backoff needs 0 < baseMs <= capMs, got baseMs=${baseMs} capMs=${capMs}`);
  }
  // 2 ** 1024 is Infinity, and Math.min(cap, Infinity) is still the cap: no overflow to guard.
  return (failures) => Math.min(capMs, baseMs * 2 ** Math.max(0, failures));
}

/** The per-key backoff client-go and controller-runtime use by default: 5 ms doubling to 1000 s. */
export const defaultBackoff: Backoff = exponentialBackoff(5, 1_000_000);

/** Sustained retries per second and the burst allowed on top. */
export interface RetryRate {
  perSecond: number;
  burst: number;
}

/**
 * A token bucket that never refuses: each retry reserves a token and is told how long to
 * wait for it (like `rate.Limiter.Reserve().Delay()` behind client-go's bucket limiter), so
 * retries beyond the burst are spread at `perSecond`.
 */
export class RetryBucket {
  readonly #clock: Clock;
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #refilledAtMs: number;

  constructor(rate: RetryRate, clock: Clock) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) {
      throw new RangeError(`retry rate needs perSecond > 0 and burst >= 1, got ${rate.perSecond}/s burst ${rate.burst}`);
    }
    this.#clock = clock;
    this.#perMs = rate.perSecond / 1000;
    this.#burst = rate.burst;
    this.#tokens = rate.burst;
    this.#refilledAtMs = clock.now();
  }

  /** Takes one token, possibly borrowed from the future; returns the wait in ms (0 when one was there). */
  reserve(): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#refilledAtMs) * this.#perMs);
    this.#refilledAtMs = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : -this.#tokens / this.#perMs;
  }
}
