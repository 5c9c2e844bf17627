/**
 * When a request is tried again, and after how long: a pure decision, so the rules can be
 * read and tested apart from the sockets.
 */
import type { Backoff } from './backoff.ts';

/** How hard the client tries before it hands a failure to its caller. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). */
  maxRetries: number;
  backoff: Backoff;
  /** A `Retry-After` longer than this is not waited for: the answer goes to the caller at once. */
  maxRetryAfterMs: number;
}

/** What one attempt came to. `retryAfterMs` is the parsed `Retry-After` header, if any. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs: number | undefined }
  | { kind: 'error'; error: unknown };

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: string };

/**
 * Whether to try again after `outcome`, given the retries already made.
 *
 * - 429 is retried for every method: the API server (priority and fairness, or a shutdown in
 *   progress) refused the request before doing anything.
 * - Other 5xx (except 501) are retried for idempotent requests, and for any request when the
 *   server sent `Retry-After` (as client-go does: the server says trying again is safe).
 * - A connection that could not be made is retried for every method (nothing was sent); one
 *   that broke after the request went out (reset, hang-up) only for idempotent requests.
 * - TLS failures, aborts and timeouts are never retried: trying again cannot help, or the
 *   caller's time is up.
 * A `Retry-After` is honoured exactly; when it exceeds `maxRetryAfterMs` the client gives up.
 */
export function decideRetry(idempotent: boolean, outcome: AttemptOutcome, retries: number, policy: RetryPolicy): RetryDecision {
  if (retries >= policy.maxRetries) return { retry: false };
  if (outcome.kind === 'response') {
    const { status, retryAfterMs } = outcome;
    const throttled = status === 429;
    const serverError = status >= 500 && status !== 501;
    if (!throttled && !serverError) return { retry: false };
    if (serverError && !idempotent && retryAfterMs === undefined) return { retry: false };
    if (retryAfterMs !== undefined) {
      if (retryAfterMs > policy.maxRetryAfterMs) return { retry: false };
      return { retry: true, delayMs: retryAfterMs, reason: `HTTP ${status}, Retry-After` };
    }
    return { retry: true, delayMs: policy.backoff(retries), reason: `HTTP ${status}` };
  }
  const code = errorCode(outcome.error);
  if (code === undefined) return { retry: false };
  if (notSentCodes.has(code) || (idempotent && brokenCodes.has(code))) {
    return { retry: true, delayMs: policy.backoff(retries), reason: code };
  }
  return { retry: false };
}

// The connection was never made: the request did not reach the server.
const notSentCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'EADDRNOTAVAIL']);
// The connection broke after the request may have been sent (a keep-alive socket the server
// had just closed shows up here too).
const brokenCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

function errorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True for requests that may safely be sent twice: reads, PUT (a replace, guarded by
 * resourceVersion) and server-side apply (declarative). POST, DELETE and other patches are not:
 * a second DELETE answers 404 for an object the first one deleted, a JSON patch may add twice.
 */
export function isIdempotent(method: string, contentType: string | undefined): boolean {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'PUT':
      return true;
    case 'PATCH':
      return contentType === 'application/apply-patch+yaml';
    default:
      return false;
  }
}

/**
 * The delay a `Retry-After` header asks for, in milliseconds: delta-seconds or an HTTP date
 * (RFC 9110). Undefined when absent or unparseable, so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowEpochMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowEpochMs);
}
