/**
 * The host's sense of time: a monotonic clock for due times and idle decisions (the wall clock
 * can jump), timers to act on them, and the wall clock only where a time must outlive the
 * process (pending timers saved beside a snapshot).
 */
import type { Clock } from '../clock.ts';

export interface TimerHandle {
  cancel(): void;
}

/** `now()` is monotonic milliseconds; `wallNow()` is `Date.now()`. */
export interface HostClock extends Clock {
  wallNow(): number;
  /** Calls `callback` once at `atMs` on the `now()` scale (or right away if that has passed). */
  at(atMs: number, callback: () => void): TimerHandle;
}

export const systemHostClock: HostClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  at(atMs, callback) {
    // Unref'd: a pending requeue timer must not keep a host that is shutting down alive.
    const handle = setTimeout(callback, Math.max(0, atMs - performance.now()));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
