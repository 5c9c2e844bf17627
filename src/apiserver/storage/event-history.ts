/**
 * The recent change events, oldest first: what a watch resumes from and what a paginated list
 * reads an older snapshot through. Compaction forgets the oldest events; asking for history
 * from before the compacted revision answers `expired`, which clients turn into a relist.
 */
import type { StoreEvent } from './stored-object.ts';

export interface HistoryRetention {
  /** Keep at most this many events. */
  maxEvents: number;
  /** Forget events older than this (measured when compaction runs). */
  maxAgeMs: number;
}

export class EventHistory {
  #events: StoreEvent[] = [];
  #start = 0;
  #compactedRv: number;

  constructor(compactedRv = 0) {
    this.#compactedRv = compactedRv;
  }

  /** Every event with rv <= this is forgotten: a watch must start at or after it. */
  get compactedRv(): number {
    return this.#compactedRv;
  }

  get size(): number {
    return this.#events.length - this.#start;
  }

  append(events: readonly StoreEvent[]): void {
    for (const e of events) this.#events.push(e);
  }

  /** The events after `rv` in order, or `expired` if some of them were compacted away. */
  since(rv: number): StoreEvent[] | 'expired' {
    if (rv < this.#compactedRv) return 'expired';
    const events = this.#events;
    let lo = this.#start;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (events[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return events.slice(lo);
  }

  /**
   * Forgets events beyond the retention; returns the new compacted rv when anything was
   * forgotten (so the durable copy can follow), otherwise undefined.
   */
  compact(retention: HistoryRetention, nowMs: number): number | undefined {
    const events = this.#events;
    const oldestKept = nowMs - retention.maxAgeMs;
    let start = Math.max(this.#start, events.length - retention.maxEvents);
    while (start < events.length && events[start]!.timeMs < oldestKept) start++;
    return start > this.#start ? this.#dropBefore(start) : undefined;
  }

  /** Forgets every event up to and including `rv` (forced compaction); returns the compacted rv. */
  compactTo(rv: number): number {
    let start = this.#start;
    while (start < this.#events.length && this.#events[start]!.rv <= rv) start++;
    if (start > this.#start) this.#dropBefore(start);
    this.#compactedRv = Math.max(this.#compactedRv, rv);
    return this.#compactedRv;
  }

  #dropBefore(start: number): number {
    this.#compactedRv = Math.max(this.#compactedRv, this.#events[start - 1]!.rv);
    this.#start = start;
    // Copy only now and then, so that dropping from the front stays amortised O(1).
    if (this.#start > 1024 && this.#start * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#start);
      this.#start = 0;
    }
    return this.#compactedRv;
  }
}
