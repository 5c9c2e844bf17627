import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { TokenBucket } from './rate-limiter.ts';

test('a full bucket lets a burst through at once, then one request per 1/qps', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 10, burst: 3 }, clock);
  const granted: number[] = [];
  const start = clock.now();
  const all = Array.from({ length: 5 }, () => bucket.acquire().then(() => granted.push(clock.now() - start)));
  await clock.advance(0);
  assert.deepEqual(granted, [0, 0, 0]);
  assert.equal(bucket.waiting, 2);
  await clock.advance(250);
  await Promise.all(all);
  assert.deepEqual(granted, [0, 0, 0, 100, 200]);
});

test('waiters are served in arrival order', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 1, burst: 1 }, clock);
  await bucket.acquire();
  const order: string[] = [];
  const waits = ['a', 'b', 'c'].map((name) => bucket.acquire().then(() => order.push(name)));
  assert.equal(bucket.tryAcquire(), false);
  await clock.advance(3_000);
  await Promise.all(waits);
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('an aborted wait gives up its place and takes no token', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 1, burst: 1 }, clock);
  await bucket.acquire();
  const controller = new AbortController();
  const aborted = bucket.acquire(controller.signal);
  const next = bucket.acquire();
  controller.abort(new Error('caller gave up'));
  await assert.rejects(aborted, /caller gave up/);
  let nextDone = false;
  void next.then(() => (nextDone = true));
  await clock.advance(1_000);
  assert.equal(nextDone, true);
  assert.equal(bucket.waiting, 0);
});

test('tokens refill up to the burst and no further', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 100, burst: 2 }, clock);
  await clock.advance(60_000);
  assert.deepEqual([bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire()], [true, true, false]);
});

test('a rate limit without a positive qps is refused', () => {
  assert.throws(() => new TokenBucket({ qps: 0, burst: 1 }), RangeError);
});
