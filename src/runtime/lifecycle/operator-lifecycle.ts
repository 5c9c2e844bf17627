/**
 * One operator's phase, with the counters its status reports and the crash-loop gate (how
 * long a failed operator waits before it is loaded again).
 */
import { describeError } from '../../errors.ts';
import type { Clock } from '../clock.ts';
import { InvalidTransitionError } from '../errors.ts';
import { nextPhase, type LifecycleEvent, type Phase } from './phase.ts';

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

/** Counters for the operator's status and metrics; they only grow. */
export interface LifecycleCounters {
  /** Successful loads: cold starts plus restores from a snapshot. */
  wakeUps: number;
  /** Calls into the guest that returned. */
  calls: number;
  /** Traps, timeouts and failed loads. */
  failures: number;
  /** Snapshots written. */
  suspensions: number;
}

/**
 * An operator's lifecycle: `nextPhase` plus what the host must remember across events.
 *
 * Guarantees: the phase only changes through the transition table; a failed operator is not
 * loaded before its crash-loop delay has passed (nor at all after giving up, until `unload`);
 * the consecutive-failure count resets when a call returns, since a returning call proves the
 * instance works.
 */
export class OperatorLifecycle {
  readonly operator: string;
  readonly #clock: Clock;
  readonly #crashLoop: CrashLoopPolicy;
  #phase: Phase;
  #sinceMs: number;
  #lastActiveMs: number;
  #consecutiveFailures = 0;
  #retryAtMs: number | undefined;
  #lastError: string | undefined;
  readonly #counters: LifecycleCounters = { wakeUps: 0, calls: 0, failures: 0, suspensions: 0 };

  /** `initial` is `suspended` when the host found this operator's snapshot at start. */
  constructor(operator: string, clock: Clock, crashLoop: CrashLoopPolicy = defaultCrashLoop, initial: Phase = 'cold') {
    this.operator = operator;
    this.#clock = clock;
    this.#crashLoop = crashLoop;
    this.#phase = initial;
    this.#sinceMs = clock.now();
    this.#lastActiveMs = this.#sinceMs;
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** When the current phase began. */
  get sinceMs(): number {
    return this.#sinceMs;
  }

  /** When a call last started or ended: the memory budget suspends the least recently active first. */
  get lastActiveMs(): number {
    return this.#lastActiveMs;
  }

  /** While failed: when it may be loaded again; undefined otherwise, or when it gave up. */
  get retryAtMs(): number | undefined {
    return this.#retryAtMs;
  }

  /** True when failed and the crash-loop policy says not to try again before an `unload`. */
  get gaveUp(): boolean {
    return this.#phase === 'failed' && this.#retryAtMs === undefined;
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** The last failure's message (with its causes), kept after recovery for the status. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  get counters(): Readonly<LifecycleCounters> {
    return { ...this.#counters };
  }

  /**
   * Applies `event` and returns the new phase. `error` is the cause of `loadFailed`,
   * `trapped` or `suspendFailed`. Throws INVALID_TRANSITION, and changes nothing, for an event
   * the phase does not allow or a load of a failed operator before its retry time.
   */
  apply(event: LifecycleEvent, error?: unknown): Phase {
    const now = this.#clock.now();
    const next = nextPhase(this.#phase, event, this.operator);
    if (event === 'load' && this.#phase === 'failed') this.#checkRetry(now);
    switch (event) {
      case 'loaded':
        this.#counters.wakeUps++;
        break;
      case 'callStarted':
        this.#lastActiveMs = now;
        break;
      case 'callFinished':
        this.#lastActiveMs = now;
        this.#counters.calls++;
        this.#consecutiveFailures = 0;
        break;
      case 'loadFailed':
      case 'trapped': {
        this.#counters.failures++;
        this.#consecutiveFailures++;
        const delayMs = crashLoopDelay(this.#consecutiveFailures, this.#crashLoop);
        this.#retryAtMs = delayMs === undefined ? undefined : now + delayMs;
        break;
      }
      case 'suspended':
        this.#counters.suspensions++;
        break;
      case 'unload':
        this.#consecutiveFailures = 0;
        break;
    }
    if (error !== undefined) this.#lastError = describeError(error);
    if (next !== 'failed') this.#retryAtMs = undefined;
    this.#phase = next;
    this.#sinceMs = now;
    return next;
  }

  #checkRetry(now: number): void {
    if (this.#retryAtMs === undefined) {
      throw new InvalidTransitionError(
        this.operator,
        'failed',
        'load',
        `gave up after ${this.#consecutiveFailures} failures in a row; unload it to start over`,
      );
    }
    if (now < this.#retryAtMs) {
      throw new InvalidTransitionError(this.operator, 'failed', 'load', `crash-loop backoff for another ${Math.ceil(this.#retryAtMs - now)} ms`);
    }
  }
}
