/**
 * The `adaptive` idle policy: keep an operator warm only while its next event is likely to
 * come soon: sooner than a suspend and restore would take, or within the busy gap (5 s), so
 * an operator in a busy spell is not suspended between events only to be restored again.
 */
import type { IdleDecision, IdleInput, IdlePolicy, IdlePolicySpec, PolicyObservation } from './idle-policy.ts';

/** Tuning for `AdaptivePolicy`; the defaults suit operators whose snapshots are a few MiB. */
export interface AdaptiveOptions {
  /** How many recent inter-arrival gaps to learn from (default 32). */
  historySize?: number;
  /** Gaps needed before predicting (default 4); until then the policy waits one break-even time. Also the fewest gaps longer than the current quiet time it predicts from. */
  minSamples?: number;
  /** Assumed suspend and restore times until measured (default 20 ms and 10 ms). */
  initialSuspendMs?: number;
  initialRestoreMs?: number;
  /** Weight of the newest measurement in the cost averages (default 0.3). */
  costSmoothing?: number;
  /** Stay warm when the next event comes within the warm window with at least this probability (default 0.5). */
  warmProbability?: number;
  /**
   * Events closer together than this belong to one busy spell, which the operator stays warm
   * through (default 5,000 ms). Suspending between them would save less than this much
   * resident time per cycle and add a restore to the next event's latency.
   */
  busyGapMs?: number;
}

/**
 * Learns one operator's event inter-arrival gaps (a ring of the most recent ones: an empirical
 * distribution that forgets old habits) and its measured suspend and restore times (moving
 * averages), and decides like this, with `breakEven` = suspend time + restore time and the
 * warm window `window` = max(breakEven, busyGapMs):
 * 1. A known due time (timer, retry) within `breakEven`: stay warm until it.
 * 2. Too few gaps seen: stay warm for `breakEven` after going idle, then suspend (the classic
 *    rent-or-buy strategy: never worse than twice the best choice made with hindsight).
 * 3. Otherwise, with `s` the time since the last arrival: among past gaps longer than `s`, the
 *    share no longer than `s + window` estimates P(next event within window | none for s),
 *    when there are at least `minSamples` such gaps (else: suspend).
 *    Stay warm when it reaches `warmProbability`, else suspend. The answer can only turn to
 *    suspend once `s` passes one of the gaps, so it asks again then.
 * It wakes a suspended operator one measured restore time before its due work.
 */
export class AdaptivePolicy implements IdlePolicy {
  readonly spec: IdlePolicySpec = { kind: 'adaptive' };
  readonly #gaps: number[] = [];
  readonly #historySize: number;
  readonly #minSamples: number;
  readonly #smoothing: number;
  readonly #warmProbability: number;
  readonly #busyGapMs: number;
  #nextSlot = 0;
  #lastArrivalMs: number | undefined;
  #suspendMs: number;
  #restoreMs: number;

  constructor(options: AdaptiveOptions = {}) {
    this.#historySize = options.historySize ?? 32;
    this.#minSamples = options.minSamples ?? 4;
    this.#smoothing = options.costSmoothing ?? 0.3;
    this.#warmProbability = options.warmProbability ?? 0.5;
    this.#busyGapMs = options.busyGapMs ?? 5_000;
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
    const window = Math.max(breakEven, this.#busyGapMs);
    const quiet = nowMs - this.#lastArrivalMs;
    let longer = 0;
    let soon = 0;
    let nextGap = Infinity;
    for (const gap of this.#gaps) {
      if (gap <= quiet) continue;
      longer++;
      nextGap = Math.min(nextGap, gap);
      if (gap <= quiet + window) soon++;
    }
    // Fewer than minSamples gaps longer than the quiet time say too little to predict from (in
    // a ring, once the rounds stop, only the long wait before the first round is left).
    if (longer >= this.#minSamples && soon / longer >= this.#warmProbability) return { kind: 'stayWarm', untilMs: this.#lastArrivalMs + nextGap };
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
