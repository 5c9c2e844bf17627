/**
 * One operator's queue of keys to reconcile, with the semantics of client-go's workqueue and
 * controller-runtime's rate limiters. The host owns it (never the guest), so a suspended
 * operator keeps its pending keys and timers, and is woken by `nextDueAtMs()`.
 */
import type { Clock } from '../clock.ts';
import { QueueMisuseError } from '../errors.ts';
import { copyRef, refKey, type ObjectRef } from '../object-ref.ts';
import { defaultBackoff, RetryBucket, type Backoff, type RetryRate } from './backoff.ts';
import { MinHeap } from './min-heap.ts';
import { nextRunDelay, type ReconcileResult } from './reconcile-result.ts';

/** How a queue retries and resyncs. Only `clock` is required. */
export interface WorkQueueOptions {
  clock: Clock;
  /** Per-key delay after consecutive failures; default 5 ms doubling to 1000 s (client-go's). */
  backoff?: Backoff;
  /** Bound on retries of the whole queue; default 10/s with a burst of 100 (client-go's), `unlimited` for none. */
  retryRate?: RetryRate | 'unlimited';
  /** Every `periodMs`, enqueue every key `keys()` returns (the host lists its cache of the primary kind). */
  resync?: { periodMs: number; keys: () => Iterable<ObjectRef> };
}

/** A queue's pending work as plain JSON, so timers and backoff survive a host restart. */
export interface QueueState {
  keys: Array<{ namespace?: string; name: string; delayMs: number; failures?: number }>;
}

interface Entry {
  readonly ref: ObjectRef;
  readonly key: string;
  readonly dueAtMs: number;
  readonly seq: number;
}

/**
 * A deduplicating, delaying, rate-limited queue of `ObjectRef`s.
 *
 * Guarantees:
 * - A key is queued at most once: adding a queued key keeps the earlier of its two due times.
 * - A key handed out by `take` is never handed out again before `done` (or `complete`); if it
 *   was added meanwhile it is queued again, at that add's due time, when it is done.
 * - Keys come out in due-time order, first-added first among equals.
 * - Retries back off per key (`failures`, reset by `forget`), and the retries of the whole
 *   queue are spread by a token bucket.
 * Nothing here sets a timer: the host asks `nextDueAtMs()` and wakes the operator then.
 */
export class WorkQueue {
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #bucket: RetryBucket | undefined;
  readonly #resync: WorkQueueOptions['resync'];
  readonly #queued = new Map<string, Entry>();
  readonly #heap = new MinHeap<Entry>((a, b) => a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.seq < b.seq));
  /** Keys being processed, each with the due time of an add that arrived meanwhile. */
  readonly #processing = new Map<string, { ref: ObjectRef; againAtMs: number | undefined }>();
  readonly #failures = new Map<string, number>();
  #seq = 0;
  #nextResyncAtMs: number | undefined;

  constructor(options: WorkQueueOptions) {
    this.#clock = options.clock;
    this.#backoff = options.backoff ?? defaultBackoff;
    const rate = options.retryRate ?? { perSecond: 10, burst: 100 };
    this.#bucket = rate === 'unlimited' ? undefined : new RetryBucket(rate, options.clock);
    this.#resync = options.resync;
    if (this.#resync !== undefined) {
      if (!(this.#resync.periodMs > 0)) throw new RangeError(`resync period must be positive, got ${this.#resync.periodMs} ms`);
      this.#nextResyncAtMs = options.clock.now() + this.#resync.periodMs;
    }
  }

  /** Rebuilds a queue from `state()`; `elapsedMs` (time the host was down) brings due times closer. */
  static restore(state: QueueState, options: WorkQueueOptions, elapsedMs = 0): WorkQueue {
    const queue = new WorkQueue(options);
    for (const { delayMs, failures, ...ref } of state.keys) {
      queue.addAfter(ref, Math.max(0, delayMs - elapsedMs));
      if (failures !== undefined && failures > 0) queue.#failures.set(refKey(ref), failures);
    }
    return queue;
  }

  /** Queues `ref` to run now. */
  add(ref: ObjectRef): void {
    this.addAfter(ref, 0);
  }

  /** Queues `ref` to run after `delayMs` (0 or less: now), unless it is already due sooner. */
  addAfter(ref: ObjectRef, delayMs: number): void {
    if (Number.isNaN(delayMs) || delayMs === Infinity) {
      throw new QueueMisuseError(`cannot queue "${refKey(ref)}" after ${delayMs} ms: a delay must be a finite number`, refKey(ref));
    }
    this.#schedule(ref, this.#clock.now() + Math.max(0, delayMs));
  }

  /** Queues `ref` after its backoff, counts one more failure, and returns the delay in ms. */
  addRateLimited(ref: ObjectRef): number {
    const key = refKey(ref);
    const failures = this.failures(ref);
    const delayMs = this.#retryDelay(failures);
    this.#failures.set(key, failures + 1);
    this.addAfter(ref, delayMs);
    return delayMs;
  }

  /** Resets the failure count of `ref` (after a success), so its next failure waits the base delay. */
  forget(ref: ObjectRef): void {
    this.#failures.delete(refKey(ref));
  }

  /** How many times `ref` has failed in a row. */
  failures(ref: ObjectRef): number {
    return this.#failures.get(refKey(ref)) ?? 0;
  }

  /** Hands out the first due key and marks it processing, or returns undefined when none is due. */
  take(): ObjectRef | undefined {
    this.#resyncIfDue();
    const top = this.#liveTop();
    if (top === undefined || top.dueAtMs > this.#clock.now()) return undefined;
    this.#heap.pop();
    this.#queued.delete(top.key);
    this.#processing.set(top.key, { ref: top.ref, againAtMs: undefined });
    return top.ref;
  }

  /** Hands out every due key (at most `max`), each marked processing. */
  takeDue(max = Infinity): ObjectRef[] {
    const taken: ObjectRef[] = [];
    while (taken.length < max) {
      const ref = this.take();
      if (ref === undefined) break;
      taken.push(ref);
    }
    return taken;
  }

  /** Ends the processing of `ref`; if it was added meanwhile, queues it again. */
  done(ref: ObjectRef): void {
    const key = refKey(ref);
    const processing = this.#processing.get(key);
    if (processing === undefined) {
      throw new QueueMisuseError(`"${key}" is done but was not being processed; nothing changed`, key);
    }
    this.#processing.delete(key);
    if (processing.againAtMs !== undefined) this.#schedule(processing.ref, processing.againAtMs);
  }

  /**
   * Ends the processing of `ref` and acts on its result as controller-runtime does: success or
   * a terminal failure forgets its failures; `requeueAfter` forgets them and queues it after
   * the delay; a retryable failure queues it after its backoff. Returns that delay, if any.
   */
  complete(ref: ObjectRef, result: ReconcileResult): number | undefined {
    this.done(ref);
    const failures = this.failures(ref);
    const delayMs = nextRunDelay(result, failures, (n) => this.#retryDelay(n));
    if (result.kind === 'failed' && !result.terminal) this.#failures.set(refKey(ref), failures + 1);
    else this.forget(ref);
    if (delayMs !== undefined) this.addAfter(ref, delayMs);
    return delayMs;
  }

  /**
   * When the next key becomes due (possibly already past), or the next resync, whichever is
   * first; undefined when nothing is queued and no resync is set. The host's wake-up time.
   */
  nextDueAtMs(): number | undefined {
    const top = this.#liveTop()?.dueAtMs;
    if (top === undefined) return this.#nextResyncAtMs;
    return this.#nextResyncAtMs === undefined ? top : Math.min(top, this.#nextResyncAtMs);
  }

  /** True when `take` would hand out a key now. */
  hasReady(): boolean {
    this.#resyncIfDue();
    const top = this.#liveTop();
    return top !== undefined && top.dueAtMs <= this.#clock.now();
  }

  /** Keys waiting, due or not, counting keys that will be queued again when done. */
  get size(): number {
    let again = 0;
    for (const p of this.#processing.values()) if (p.againAtMs !== undefined) again++;
    return this.#queued.size + again;
  }

  /** Keys handed out and not yet done. */
  get processingCount(): number {
    return this.#processing.size;
  }

  /**
   * The pending work as JSON: every waiting key with its remaining delay and failure count.
   * Keys being processed are included as due now, since their reconcile never finished.
   */
  state(): QueueState {
    const now = this.#clock.now();
    const due = new Map<string, { ref: ObjectRef; atMs: number; seq: number }>();
    for (const e of this.#queued.values()) due.set(e.key, { ref: e.ref, atMs: e.dueAtMs, seq: e.seq });
    for (const [key, p] of this.#processing) due.set(key, { ref: p.ref, atMs: now, seq: -1 });
    return {
      keys: [...due.entries()]
        .sort(([, a], [, b]) => a.atMs - b.atMs || a.seq - b.seq)
        .map(([key, { ref, atMs }]) => {
          const failures = this.#failures.get(key);
          return { ...ref, delayMs: Math.max(0, atMs - now), ...(failures === undefined ? {} : { failures }) };
        }),
    };
  }

  #retryDelay(failures: number): number {
    return Math.max(this.#backoff(failures), this.#bucket?.reserve() ?? 0);
  }

  #schedule(ref: ObjectRef, dueAtMs: number): void {
    const key = refKey(ref);
    const processing = this.#processing.get(key);
    if (processing !== undefined) {
      if (processing.againAtMs === undefined || dueAtMs < processing.againAtMs) processing.againAtMs = dueAtMs;
      return;
    }
    const queued = this.#queued.get(key);
    if (queued !== undefined && queued.dueAtMs <= dueAtMs) return;
    // The old heap entry stays behind and is skipped when it surfaces (lazy deletion).
    const entry: Entry = { ref: copyRef(ref), key, dueAtMs, seq: this.#seq++ };
    this.#queued.set(key, entry);
    this.#heap.push(entry);
  }

  #liveTop(): Entry | undefined {
    for (let top = this.#heap.peek(); top !== undefined; top = this.#heap.peek()) {
      if (this.#queued.get(top.key) === top) return top;
      this.#heap.pop();
    }
    return undefined;
  }

  #resyncIfDue(): void {
    const now = this.#clock.now();
    if (this.#resync === undefined || this.#nextResyncAtMs === undefined || now < this.#nextResyncAtMs) return;
    this.#nextResyncAtMs = now + this.#resync.periodMs;
    for (const ref of this.#resync.keys()) this.#schedule(ref, now);
  }
}
