/**
 * What a reconcile (or init) call decided, exactly the ABI's `set_result` payload. Return one
 * from your handler; returning nothing means `done`, and throwing means `failed` (retried).
 */
export type Result =
  | { kind: 'done' } // wait for the next change to something the operator watches
  | { kind: 'requeueAfter'; delayMs: number } // run again later, even if nothing changes
  | { kind: 'failed'; message: string; terminal: boolean }; // terminal: no retry until a change

/** Wait for the next change to something the operator watches. */
export function done(): Result {
  return { kind: 'done' };
}

/** Reconcile this request again after `delayMs`, even while the operator sleeps on disk. */
export function requeueAfter(delayMs: number): Result {
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`requeueAfter needs a delay >= 0 ms, got ${delayMs}`);
  return { kind: 'requeueAfter', delayMs: Math.ceil(delayMs) };
}

/**
 * The call failed: the host retries it with exponential backoff, unless `terminal`, in which
 * case only a new change to a watched object triggers it again.
 */
export function failed(message: string, options: { terminal?: boolean } = {}): Result {
  return { kind: 'failed', message, terminal: options.terminal ?? false };
}
