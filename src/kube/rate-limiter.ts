/**
 * The client-side rate limit: a token bucket shared by every request a client sends.
 */
import { systemClock, type Clock, type Timer } from './clock.ts';

/** Sustained requests per second and the burst allowed on top; `qps: Infinity` disables the limit. */
export interface RateLimit {
  qps: number;
  burst: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A token bucket holding up to `burst` tokens, refilled at `qps` per second.
 *
 * Guarantees: callers are served in arrival order (no starvation of an early caller by later
 * ones); an aborted wait gives up its place and consumes no token; with `qps: Infinity` every
 * `acquire` resolves at once.
 */
export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #refilledAt: number;
  #waiters: Waiter[] = [];
  #timer: Timer | undefined;

  constructor(limit: RateLimit, clock: Clock = systemClock) {
    if (!(limit.qps > 0) || !(limit.burst >= 1)) {
      throw new RangeError(`rate limit needs qps > 0 and burst >= 1, got qps=${limit.qps} burst=${limit.burst}`);
    }
    this.#qps = limit.qps;
    this.#burst = limit.burst;
    this.#clock = clock;
    this.#tokens = limit.burst;
    this.#refilledAt = clock.now();
  }

  /** Resolves when a token is taken; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.length === 0 && this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(signal!.reason);
          this.#schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  /** Takes a token if one is available now. */
  tryAcquire(): boolean {
    if (this.#qps === Infinity) return true;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Requests waiting for a token (exported as a metric by the host). */
  get waiting(): number {
    return this.#waiters.length;
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) * this.#qps) / 1000);
    this.#refilledAt = now;
  }

  #schedule(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    while (this.#waiters.length > 0 && this.tryAcquire()) {
      const waiter = this.#waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.#waiters.length === 0) return;
    const delayMs = Math.ceil(((1 - this.#tokens) * 1000) / this.#qps);
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#schedule();
    }, delayMs);
  }
}
