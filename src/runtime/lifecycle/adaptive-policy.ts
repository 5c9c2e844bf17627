/**
 * The `adaptive` idle policy: keep an operator warm only while its next event is likely to
 * come sooner than a suspend and restore would take.
 */
import type { IdleDecision, IdleInput, IdlePolicy, IdlePolicySpec, PolicyObservation } from './idle-policy.ts';

/** Tuning for `AdaptivePolicy`; the defaults suit operators whose snapshots are a few MiB. */
export interface AdaptiveOptions {
  /** How many recent inter-arrival gaps to learn from (default 32). */
  historySize?: number;
  /** Gaps needed before predicting; until then the policy waits one break-even time (default 4). */
  minSamples?: number;
  /** Assumed suspend and restore times until measured (default 20 ms and 10 ms). */
  initialSuspendMs?: number;
  initialRestoreMs?: number;
  /** Weight of the newest measurement in the cost averages (default 0.3). */
  costSmoothing?: number;
  /** Stay warm when the next event comes within the break-even time with at least this probability (default 0.5). */
  warmProbability?: number;
}

/**
 * Learns one operator's event inter-arrival gaps (a ring of the most recent ones: an empirical
 * distribution that forgets old habits) and its measured suspend and restore times (moving
 * averages), and decides like this, with `breakEven` = suspend time + restore time:
 * 1. A known due time (timer, retry) within `breakEven`: stay warm until it.
 * 2. Too few gaps seen: stay warm for `breakEven` after going idle, then suspend (the classic
 *    rent-or-buy strategy: never worse than twice the best choice made with hindsight).
 * 3. Otherwise, with `s` the time since the last arrival: among past gaps longer than `s`, the
 *    share no longer than `s + breakEven` estimates P(next event within breakEven | none for s).
 *    Stay warm (and ask again after `breakEven`) when it reaches `warmProbability`; else suspend.
 * It wakes a suspended operator one measured restore time before its due work.
 */
export class AdaptivePolicy implements IdlePolicy {
  readonly spec: IdlePolicySpec = { kind: 'adaptive' };
  readonly #gaps: number[] = [];
  readonly #historySize: number;
  readonly #minSamples: number;
  readonly #smoothing: number;
  readonly #warmProbability: number;
  #nextSlot = 0;
  #lastArrivalMs: number | undefined;
  #suspendMs: number;
  #restoreMs: number;

  constructor(options: AdaptiveOptions = {}) {
    this.#historySize = options.historySize ?? 32;
    this.#minSamples = options.minSamples ?? 4;
    this.#smoothing = options.costSmoothing ?? 0.3;
    this.#warmProbability = options.warmProbability ?? 0.5;
    this.#suspendMs = options.initialSuspendMs ?? 20;
    this.#restoreMs = options.initialRestoreMs ?? 10;
  }

  /** Suspend time + restore time, as currently estimated. */
  get breakEvenMs(): number {
    return this.#suspendMs + this.#restoreMs;
  }

  observe(observation: PolicyObservation): void {
    switch (observation.kind) {
      case 'arrival':
        if (this.#lastArrivalMs !== undefined) this.#remember(Math.max(0, observation.atMs - this.#lastArrivalMs));
        this.#lastArrivalMs = Math.max(observation.atMs, this.#lastArrivalMs ?? -Infinity);
        break;
      case 'suspended':
        this.#suspendMs = this.#average(this.#suspendMs, observation.durationMs);
        break;
      case 'restored':
        this.#restoreMs = this.#average(this.#restoreMs, observation.durationMs);
        break;
    }
  }

  whenIdle({ nowMs, idleSinceMs, nextDueAtMs }: IdleInput): IdleDecision {
    const breakEven = this.breakEvenMs;
    if (nextDueAtMs !== undefined && nextDueAtMs - nowMs <= breakEven) return { kind: 'stayWarm', untilMs: Math.max(nowMs, nextDueAtMs) };
    if (this.#gaps.length < this.#minSamples || this.#lastArrivalMs === undefined) {
      return nowMs - idleSinceMs >= breakEven ? { kind: 'suspend' } : { kind: 'stayWarm', untilMs: idleSinceMs + breakEven };
    }
    const quiet = nowMs - this.#lastArrivalMs;
    let longer = 0;
    let soon = 0;
    for (const gap of this.#gaps) {
      if (gap <= quiet) continue;
      longer++;
      if (gap <= quiet + breakEven) soon++;
    }
    if (longer > 0 && soon / longer >= this.#warmProbability) return { kind: 'stayWarm', untilMs: nowMs + breakEven };
    return { kind: 'suspend' };
  }

  wakeAtMs(dueAtMs: number): number {
    return dueAtMs - this.#restoreMs;
  }

  #remember(gapMs: number): void {
    if (this.#gaps.length < this.#historySize) this.#gaps.push(gapMs);
    else this.#gaps[this.#nextSlot] = gapMs;
    this.#nextSlot = (this.#nextSlot + 1) % this.#historySize;
  }

  #average(previous: number, measured: number): number {
    return (1 - this.#smoothing) * previous + this.#smoothing * Math.max(0, measured);
  }
}
