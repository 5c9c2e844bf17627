import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exponentialBackoff } from './backoff.ts';

test('backoff doubles from the initial delay up to the cap', () => {
  const top = exponentialBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0.999999 });
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(top), [100, 200, 400, 800, 1_000, 1_000]);
});

test('jitter keeps at least half of each delay', () => {
  const bottom = exponentialBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0 });
  assert.deepEqual([0, 1, 2, 3, 4].map(bottom), [50, 100, 200, 400, 500]);
});
