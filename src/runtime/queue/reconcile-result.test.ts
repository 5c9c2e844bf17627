import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultBackoff, exponentialBackoff } from './backoff.ts';
import { nextRunDelay } from './reconcile-result.ts';

test('a retryable failure backs off exponentially up to the cap', () => {
  const failed = { kind: 'failed', error: new Error('boom'), terminal: false } as const;
  const delays = [0, 3, 10].map((n) => nextRunDelay(failed, n, exponentialBackoff(100, 1_000)));
  assert.deepEqual(delays, [100, 800, 1_000]);
});

test('done and terminal failures wait for a change, requeueAfter waits its delay', () => {
  assert.equal(nextRunDelay({ kind: 'done' }, 3, defaultBackoff), undefined);
  assert.equal(nextRunDelay({ kind: 'failed', error: new Error('bad spec'), terminal: true }, 3, defaultBackoff), undefined);
  assert.equal(nextRunDelay({ kind: 'requeueAfter', delayMs: 1_500 }, 3, defaultBackoff), 1_500);
});

test('the default backoff is client-go\'s: 5 ms doubling, capped at 1000 s', () => {
  assert.deepEqual([0, 1, 9, 18, 19, 2_000].map(defaultBackoff), [5, 10, 2_560, 1_000_000, 1_000_000, 1_000_000]);
});

test('a backoff whose cap is below its base is refused', () => {
  assert.throws(() => exponentialBackoff(10, 5), RangeError);
});
