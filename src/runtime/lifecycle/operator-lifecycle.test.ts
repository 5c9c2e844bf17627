import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { crashLoopDelay, OperatorLifecycle } from './operator-lifecycle.ts';

function started(policy = { initialDelayMs: 1_000, maxDelayMs: 8_000 }) {
  const clock = new ManualClock(0);
  const lifecycle = new OperatorLifecycle('web', clock, policy);
  lifecycle.apply('load');
  lifecycle.apply('loaded');
  return { clock, lifecycle };
}

test('a wake-up is counted for each successful load, cold or restored', () => {
  const { lifecycle } = started();
  lifecycle.apply('suspend');
  lifecycle.apply('suspended');
  lifecycle.apply('load');
  lifecycle.apply('loaded');
  assert.deepEqual(lifecycle.counters, { wakeUps: 2, calls: 0, failures: 0, suspensions: 1 });
});

test('a trapped operator is not reloaded before its crash-loop delay', () => {
  const { clock, lifecycle } = started();
  lifecycle.apply('callStarted');
  lifecycle.apply('trapped', new Error('unreachable executed'));
  assert.equal(lifecycle.phase, 'failed');
  assert.equal(lifecycle.retryAtMs, 1_000);
  assert.equal(lifecycle.lastError, 'unreachable executed');
  clock.advance(999);
  assert.throws(() => lifecycle.apply('load'), { code: 'INVALID_TRANSITION', message: /crash-loop backoff for another 1 ms/ });
  assert.equal(lifecycle.phase, 'failed');
  clock.advance(1);
  assert.equal(lifecycle.apply('load'), 'loading');
});

test('the crash-loop delay doubles with each failure in a row, up to its cap', () => {
  const { clock, lifecycle } = started();
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    lifecycle.apply('callStarted');
    lifecycle.apply('trapped');
    delays.push(lifecycle.retryAtMs! - clock.now());
    clock.advanceTo(lifecycle.retryAtMs!);
    lifecycle.apply('load');
    lifecycle.apply('loaded');
  }
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 8_000]);
  assert.equal(lifecycle.counters.failures, 5);
});

test('a call that returns resets the failures in a row', () => {
  const { clock, lifecycle } = started();
  lifecycle.apply('callStarted');
  lifecycle.apply('trapped');
  clock.advance(1_000);
  lifecycle.apply('load');
  lifecycle.apply('loaded');
  lifecycle.apply('callStarted');
  lifecycle.apply('callFinished');
  assert.equal(lifecycle.consecutiveFailures, 0);
  lifecycle.apply('callStarted');
  lifecycle.apply('trapped');
  assert.equal(lifecycle.retryAtMs! - clock.now(), 1_000);
});

test('after too many failures in a row it gives up until unloaded', () => {
  const clock = new ManualClock(0);
  const lifecycle = new OperatorLifecycle('web', clock, { initialDelayMs: 10, maxDelayMs: 10, maxConsecutiveFailures: 2 });
  lifecycle.apply('load');
  lifecycle.apply('loadFailed', new Error('bad magic'));
  clock.advance(10);
  lifecycle.apply('load');
  lifecycle.apply('loadFailed', new Error('bad magic'));
  assert.equal(lifecycle.gaveUp, true);
  clock.advance(60_000);
  assert.throws(() => lifecycle.apply('load'), /gave up after 2 failures in a row; unload it to start over/);
  lifecycle.apply('unload');
  assert.equal(lifecycle.apply('load'), 'loading');
});

test('the last error is kept after recovery, for the status', () => {
  const { lifecycle } = started();
  lifecycle.apply('suspend');
  lifecycle.apply('suspendFailed', new Error('ENOSPC', { cause: new Error('disk full') }));
  assert.equal(lifecycle.phase, 'warm');
  lifecycle.apply('callStarted');
  lifecycle.apply('callFinished');
  assert.equal(lifecycle.lastError, 'ENOSPC\ncaused by: disk full');
});

test('activity is the time a call last started or ended', () => {
  const { clock, lifecycle } = started();
  clock.advance(50);
  lifecycle.apply('callStarted');
  clock.advance(5);
  lifecycle.apply('callFinished');
  clock.advance(100);
  lifecycle.apply('suspend');
  assert.equal(lifecycle.lastActiveMs, 55);
  assert.equal(lifecycle.sinceMs, 155);
});

test('with no cap the crash-loop never gives up', () => {
  assert.equal(crashLoopDelay(1_000, { initialDelayMs: 1_000, maxDelayMs: 300_000 }), 300_000);
});
