import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideRetry, isIdempotent, parseRetryAfter, type AttemptOutcome, type RetryPolicy } from './retry.ts';

const policy: RetryPolicy = { maxRetries: 3, backoff: (n) => 100 * 2 ** n, maxRetryAfterMs: 10_000 };
const response = (status: number, retryAfterMs?: number): AttemptOutcome => ({ kind: 'response', status, retryAfterMs });
const failure = (code: string): AttemptOutcome => ({ kind: 'error', error: Object.assign(new Error(code), { code }) });

test('429 is retried for any method, after exactly the Retry-After', () => {
  assert.deepEqual(decideRetry(false, response(429, 2_000), 0, policy), { retry: true, delayMs: 2_000, reason: 'HTTP 429, Retry-After' });
  assert.deepEqual(decideRetry(false, response(429), 1, policy), { retry: true, delayMs: 200, reason: 'HTTP 429' });
});

test('a Retry-After longer than the policy allows hands the answer back at once', () => {
  assert.deepEqual(decideRetry(true, response(429, 60_000), 0, policy), { retry: false });
});

test('5xx is retried for idempotent requests, and for others only when the server sends Retry-After', () => {
  assert.equal(decideRetry(true, response(500), 0, policy).retry, true);
  assert.equal(decideRetry(false, response(500), 0, policy).retry, false);
  assert.equal(decideRetry(false, response(503, 1_000), 0, policy).retry, true);
  assert.equal(decideRetry(true, response(501), 0, policy).retry, false);
});

test('client errors and successes are never retried', () => {
  for (const status of [200, 201, 400, 404, 409, 410, 422]) assert.equal(decideRetry(true, response(status), 0, policy).retry, false);
});

test('a refused connection is retried for any method, a reset only for idempotent ones', () => {
  assert.equal(decideRetry(false, failure('ECONNREFUSED'), 0, policy).retry, true);
  assert.equal(decideRetry(true, failure('ECONNRESET'), 0, policy).retry, true);
  assert.equal(decideRetry(false, failure('ECONNRESET'), 0, policy).retry, false);
});

test('TLS failures and errors without a code are not retried', () => {
  assert.equal(decideRetry(true, failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 0, policy).retry, false);
  assert.equal(decideRetry(true, { kind: 'error', error: new Error('boom') }, 0, policy).retry, false);
});

test('retries stop after maxRetries', () => {
  assert.equal(decideRetry(true, response(503), 2, policy).retry, true);
  assert.equal(decideRetry(true, response(503), 3, policy).retry, false);
});

test('reads, replaces and server-side apply are idempotent; creates, deletes and other patches are not', () => {
  assert.deepEqual(
    ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].map((m) => isIdempotent(m, undefined)),
    [true, true, true, false, false],
  );
  assert.equal(isIdempotent('PATCH', 'application/apply-patch+yaml'), true);
  assert.equal(isIdempotent('PATCH', 'application/merge-patch+json'), false);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});
