/**
 * Time as the runtime's pure cores see it. Queues, backoff and idle policies read time only
 * through a `Clock`, so their tests step time by hand instead of sleeping.
 */

/**
 * Milliseconds on some fixed origin. Only differences matter: the runtime never compares a
 * reading with a wall-clock date, so a monotonic clock (`performance.now()`) is the right one.
 * Structurally a subset of the kube client's clock, so that one can be passed here.
 */
export interface Clock {
  now(): number;
}

/** The process's monotonic clock. */
export const systemClock: Clock = { now: () => performance.now() };

/** A clock that moves only when told to: for tests and simulations. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Moves time forward by `delayMs` (never backward: a clock that runs back breaks every due time). */
  advance(delayMs: number): void {
    if (!(delayMs >= 0)) throw new RangeError(`a clock only moves forward, got ${delayMs} ms`);
    this.#nowMs += delayMs;
  }

  /** Moves time forward to `atMs`. */
  advanceTo(atMs: number): void {
    this.advance(atMs - this.#nowMs);
  }
}
