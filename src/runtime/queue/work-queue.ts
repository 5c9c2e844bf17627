/**
 * One operator's queue of keys to reconcile, with the semantics of client-go's workqueue and
 * controller-runtime's rate limiters. The host owns it (never the guest), so a suspended
 * operator keeps its pending keys and timers, and is woken by `nextDueAtMs()`.
 */
import type { Clock } from '../clock.ts';
import { QueueMisuseError } from '../errors.ts';
import { defaultBackoff, RetryBucket, type Backoff, type RetryRate } from './backoff.ts';
import { MinHeap } from './min-heap.ts';
import { nextRunDelay, type ReconcileResult } from './reconcile-result.ts';

/** How a queue identifies keys, retries and resyncs. */
export interface WorkQueueOptions<K> {
  clock: Clock;
  /** A key's identity as a string: two keys with the same identity are one (e.g. `requestKey`). */
  keyOf: (key: K) => string;
  /** Per-key delay after consecutive failures; default 5 ms doubling to 1000 s (client-go's). */
  backoff?: Backoff;
  /** Bound on retries of the whole queue; default 10/s with a burst of 100 (client-go's), `unlimited` for none. */
  retryRate?: RetryRate | 'unlimited';
  /** Every `periodMs`, enqueue every key `keys()` returns (the host lists its cache of the primary kind). */
  resync?: { periodMs: number; keys: () => Iterable<K> };
}

/** A queue's pending work, as plain data when its keys are, so timers and backoff survive a host restart. */
export interface QueueState<K> {
  items: Array<{ key: K; delayMs: number; failures?: number }>;
}

interface Entry<K> {
  readonly item: K;
  readonly id: string;
  readonly dueAtMs: number;
  readonly seq: number;
}

/**
 * A deduplicating, delaying, rate-limited queue of keys (for operators, `ReconcileRequest`s).
 *
 * Guarantees:
 * - A key is queued at most once: adding a queued key keeps the earlier of its two due times.
 * - A delayed add (`addAfter` with a delay, a requeue, a retry) is a timer of its own, as in
 *   client-go's delaying queue: an earlier add runs the key sooner without cancelling it, so
 *   a requeue asked for by one reconcile still happens when an event triggered another
 *   reconcile in between. A key has at most one timer (the earliest asked for).
 * - A key handed out by `take` is never handed out again before `done` (or `complete`); if it
 *   was added meanwhile it is queued again, at that add's due time, when it is done.
 * - Keys come out in due-time order, first-added first among equals.
 * - Retries back off per key (`failures`, reset by `forget`), and the retries of the whole
 *   queue are spread by a token bucket.
 * Nothing here sets a timer: the host asks `nextDueAtMs()` and wakes the operator then.
 */
export class WorkQueue<K> {
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #bucket: RetryBucket | undefined;
  readonly #keyOf: (key: K) => string;
  readonly #resync: WorkQueueOptions<K>['resync'];
  readonly #queued = new Map<string, Entry<K>>();
  readonly #heap = new MinHeap<Entry<K>>((a, b) => a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.seq < b.seq));
  /** Keys being processed, each with the due time of an add that arrived meanwhile. */
  readonly #processing = new Map<string, { item: K; againAtMs: number | undefined }>();
  /** Delayed adds not yet due, at most one per key (the earliest); they join the queue when due. */
  readonly #timers = new Map<string, Entry<K>>();
  readonly #timerHeap = new MinHeap<Entry<K>>((a, b) => a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.seq < b.seq));
  readonly #failures = new Map<string, number>();
  #seq = 0;
  #nextResyncAtMs: number | undefined;

  constructor(options: WorkQueueOptions<K>) {
    this.#clock = options.clock;
    this.#keyOf = options.keyOf;
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
  static restore<K>(state: QueueState<K>, options: WorkQueueOptions<K>, elapsedMs = 0): WorkQueue<K> {
    const queue = new WorkQueue(options);
    for (const { key, delayMs, failures } of state.items) {
      queue.addAfter(key, Math.max(0, delayMs - elapsedMs));
      if (failures !== undefined && failures > 0) queue.#failures.set(options.keyOf(key), failures);
    }
    return queue;
  }

  /** Queues `key` to run now. */
  add(key: K): void {
    this.addAfter(key, 0);
  }

  /** Queues `key` to run after `delayMs` (0 or less: now), unless it is already due sooner. */
  addAfter(key: K, delayMs: number): void {
    if (Number.isNaN(delayMs) || delayMs === Infinity) {
      const id = this.#keyOf(key);
      throw new QueueMisuseError(`cannot queue "${id}" after ${delayMs} ms: a delay must be a finite number`, id);
    }
    const now = this.#clock.now();
    if (delayMs <= 0) {
      this.#schedule(key, now);
      return;
    }
    const id = this.#keyOf(key);
    const dueAtMs = now + delayMs;
    const timer = this.#timers.get(id);
    if (timer !== undefined && timer.dueAtMs <= dueAtMs) return;
    // A replaced timer stays in the heap and is skipped when it surfaces (lazy deletion).
    const entry: Entry<K> = { item: key, id, dueAtMs, seq: this.#seq++ };
    this.#timers.set(id, entry);
    this.#timerHeap.push(entry);
  }

  /** Queues `key` after its backoff, counts one more failure, and returns the delay in ms. */
  addRateLimited(key: K): number {
    const failures = this.failures(key);
    const delayMs = this.#retryDelay(failures);
    this.#failures.set(this.#keyOf(key), failures + 1);
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Resets the failure count of `key` (after a success), so its next failure waits the base delay. */
  forget(key: K): void {
    this.#failures.delete(this.#keyOf(key));
  }

  /** How many times `key` has failed in a row. */
  failures(key: K): number {
    return this.#failures.get(this.#keyOf(key)) ?? 0;
  }

  /** Hands out the first due key and marks it processing, or returns undefined when none is due. */
  take(): K | undefined {
    this.#resyncIfDue();
    this.#promoteTimers();
    const top = this.#liveTop();
    if (top === undefined || top.dueAtMs > this.#clock.now()) return undefined;
    this.#heap.pop();
    this.#queued.delete(top.id);
    this.#processing.set(top.id, { item: top.item, againAtMs: undefined });
    return top.item;
  }

  /** Hands out every due key (at most `max`), each marked processing. */
  takeDue(max = Infinity): K[] {
    const taken: K[] = [];
    while (taken.length < max) {
      const key = this.take();
      if (key === undefined) break;
      taken.push(key);
    }
    return taken;
  }

  /** Ends the processing of `key`; if it was added meanwhile, queues it again. */
  done(key: K): void {
    const id = this.#keyOf(key);
    const processing = this.#processing.get(id);
    if (processing === undefined) {
      throw new QueueMisuseError(`"${id}" is done but was not being processed; nothing changed`, id);
    }
    this.#processing.delete(id);
    if (processing.againAtMs !== undefined) this.#schedule(processing.item, processing.againAtMs);
  }

  /**
   * Ends the processing of `key` and acts on its result as controller-runtime does: success or
   * a terminal failure forgets its failures; `requeueAfter` forgets them and queues it after
   * the delay; a retryable failure queues it after its backoff. Returns that delay, if any.
   */
  complete(key: K, result: ReconcileResult): number | undefined {
    this.done(key);
    const failures = this.failures(key);
    const delayMs = nextRunDelay(result, failures, (n) => this.#retryDelay(n));
    if (result.kind === 'failed' && !result.terminal) this.#failures.set(this.#keyOf(key), failures + 1);
    else this.forget(key);
    if (delayMs !== undefined) this.addAfter(key, delayMs);
    return delayMs;
  }

  /**
   * When the next key becomes due (possibly already past), or the next resync, whichever is
   * first; undefined when nothing is queued and no resync is set. The host's wake-up time.
   */
  nextDueAtMs(): number | undefined {
    const times = [this.#liveTop()?.dueAtMs, this.#liveTimer()?.dueAtMs, this.#nextResyncAtMs].filter((t) => t !== undefined);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** True when `take` would hand out a key now. */
  hasReady(): boolean {
    this.#resyncIfDue();
    this.#promoteTimers();
    const top = this.#liveTop();
    return top !== undefined && top.dueAtMs <= this.#clock.now();
  }

  /** Keys waiting, due or not, counting keys that will be queued again when done. */
  get size(): number {
    let again = 0;
    for (const p of this.#processing.values()) if (p.againAtMs !== undefined) again++;
    let timersAlone = 0;
    for (const id of this.#timers.keys()) if (!this.#queued.has(id) && !this.#processing.has(id)) timersAlone++;
    return this.#queued.size + again + timersAlone;
  }

  /** Keys handed out and not yet done. */
  get processingCount(): number {
    return this.#processing.size;
  }

  /**
   * The pending work as JSON: every waiting key with its remaining delay and failure count.
   * Keys being processed are included as due now, since their reconcile never finished.
   */
  state(): QueueState<K> {
    const now = this.#clock.now();
    const due = new Map<string, { item: K; atMs: number; seq: number }>();
    for (const e of this.#queued.values()) due.set(e.id, { item: e.item, atMs: e.dueAtMs, seq: e.seq });
    for (const [id, p] of this.#processing) due.set(id, { item: p.item, atMs: now, seq: -1 });
    const entries = [...due.entries()];
    for (const t of this.#timers.values()) entries.push([t.id, { item: t.item, atMs: t.dueAtMs, seq: t.seq }]);
    return {
      items: entries
        .sort(([, a], [, b]) => a.atMs - b.atMs || a.seq - b.seq)
        .map(([id, { item, atMs }]) => {
          const failures = this.#failures.get(id);
          return { key: item, delayMs: Math.max(0, atMs - now), ...(failures === undefined ? {} : { failures }) };
        }),
    };
  }

  #retryDelay(failures: number): number {
    return Math.max(this.#backoff(failures), this.#bucket?.reserve() ?? 0);
  }

  #schedule(item: K, dueAtMs: number): void {
    const id = this.#keyOf(item);
    const processing = this.#processing.get(id);
    if (processing !== undefined) {
      if (processing.againAtMs === undefined || dueAtMs < processing.againAtMs) processing.againAtMs = dueAtMs;
      return;
    }
    const queued = this.#queued.get(id);
    if (queued !== undefined && queued.dueAtMs <= dueAtMs) return;
    // The old heap entry stays behind and is skipped when it surfaces (lazy deletion).
    const entry: Entry<K> = { item, id, dueAtMs, seq: this.#seq++ };
    this.#queued.set(id, entry);
    this.#heap.push(entry);
  }

  /** Moves every timer that has come due into the queue, at its own due time. */
  #promoteTimers(): void {
    const now = this.#clock.now();
    for (let top = this.#liveTimer(); top !== undefined && top.dueAtMs <= now; top = this.#liveTimer()) {
      this.#timerHeap.pop();
      this.#timers.delete(top.id);
      this.#schedule(top.item, top.dueAtMs);
    }
  }

  #liveTimer(): Entry<K> | undefined {
    for (let top = this.#timerHeap.peek(); top !== undefined; top = this.#timerHeap.peek()) {
      if (this.#timers.get(top.id) === top) return top;
      this.#timerHeap.pop();
    }
    return undefined;
  }

  #liveTop(): Entry<K> | undefined {
    for (let top = this.#heap.peek(); top !== undefined; top = this.#heap.peek()) {
      if (this.#queued.get(top.id) === top) return top;
      this.#heap.pop();
    }
    return undefined;
  }

  #resyncIfDue(): void {
    const now = this.#clock.now();
    if (this.#resync === undefined || this.#nextResyncAtMs === undefined || now < this.#nextResyncAtMs) return;
    this.#nextResyncAtMs = now + this.#resync.periodMs;
    for (const key of this.#resync.keys()) this.#schedule(key, now);
  }
}
