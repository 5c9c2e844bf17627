import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { requestKey, type ReconcileRequest } from '../reconcile-request.ts';
import { exponentialBackoff } from './backoff.ts';
import { WorkQueue, type WorkQueueOptions } from './work-queue.ts';

const site = { apiVersion: 'example.com/v1', kind: 'Website' };
const web: ReconcileRequest = { ...site, namespace: 'default', name: 'web' };
const db: ReconcileRequest = { ...site, namespace: 'default', name: 'db' };
const node: ReconcileRequest = { apiVersion: 'v1', kind: 'Node', name: 'node-1' };

function queue(options: Partial<WorkQueueOptions<ReconcileRequest>> = {}) {
  const clock = new ManualClock(1_000);
  return { clock, queue: new WorkQueue<ReconcileRequest>({ clock, keyOf: requestKey, retryRate: 'unlimited', ...options }) };
}

test('a key added twice is queued once, at the earlier time', () => {
  const { clock, queue: q } = queue();
  q.addAfter(web, 5_000);
  q.addAfter(web, 1_000);
  assert.equal(q.size, 1);
  clock.advance(1_000);
  assert.deepEqual(q.takeDue(), [web]);
  assert.deepEqual(q.takeDue(), []);
});

test('a later add does not postpone a key that is already due sooner, and its timer still fires', () => {
  const { clock, queue: q } = queue();
  q.add(web);
  q.addAfter(web, 60_000);
  assert.deepEqual(q.take(), web);
  q.done(web);
  assert.equal(q.take(), undefined);
  clock.advance(60_000);
  assert.deepEqual(q.take(), web, 'a requeue timer is not cancelled by an earlier run (client-go semantics)');
});

test('keys come out in due order, first added first among equal times', () => {
  const { clock, queue: q } = queue();
  q.addAfter(node, 20);
  q.add(db);
  q.add(web);
  q.addAfter(web, 10);
  clock.advance(20);
  assert.deepEqual(q.takeDue(), [db, web, node]);
});

test('a key not yet due is not handed out, and its due time is visible to the host', () => {
  const { clock, queue: q } = queue();
  q.addAfter(web, 250);
  assert.equal(q.take(), undefined);
  assert.equal(q.hasReady(), false);
  assert.equal(q.nextDueAtMs(), 1_250);
  clock.advanceTo(1_250);
  assert.equal(q.hasReady(), true);
  assert.deepEqual(q.take(), web);
});

test('a key being processed is not handed out again until it is done', () => {
  const { queue: q } = queue();
  q.add(web);
  assert.deepEqual(q.take(), web);
  q.add(web);
  assert.equal(q.take(), undefined);
  assert.equal(q.processingCount, 1);
  assert.equal(q.size, 1);
  q.done(web);
  assert.deepEqual(q.take(), web);
});

test('a key added while processing is requeued after done at the earliest time it was asked for', () => {
  const { clock, queue: q } = queue();
  q.add(web);
  q.take();
  q.addAfter(web, 500);
  q.addAfter(web, 100);
  q.done(web);
  assert.equal(q.nextDueAtMs(), 1_100);
  clock.advance(100);
  assert.deepEqual(q.take(), web);
});

test('done for a key that is not being processed is refused', () => {
  const { queue: q } = queue();
  q.add(web);
  assert.throws(() => q.done(web), { code: 'QUEUE_MISUSE', message: '"example.com/v1 Website default/web" is done but was not being processed; nothing changed' });
});

test('a delay that is not a finite number is refused, a negative one means now', () => {
  const { queue: q } = queue();
  assert.throws(() => q.addAfter(web, Number.NaN), { code: 'QUEUE_MISUSE' });
  q.addAfter(web, -5);
  assert.deepEqual(q.take(), web);
});

test('retryable failures back off exponentially per key, and success resets the count', () => {
  const { clock, queue: q } = queue({ backoff: exponentialBackoff(5, 1_000) });
  const failed = { kind: 'failed', error: new Error('boom'), terminal: false } as const;
  const delays: Array<number | undefined> = [];
  for (let i = 0; i < 4; i++) {
    q.add(web);
    clock.advance(2_000);
    assert.deepEqual(q.take(), web);
    delays.push(q.complete(web, failed));
  }
  assert.deepEqual(delays, [5, 10, 20, 40]);
  assert.equal(q.failures(web), 4);
  clock.advance(40);
  q.take();
  assert.equal(q.complete(web, { kind: 'done' }), undefined);
  assert.equal(q.failures(web), 0);
  assert.equal(q.addRateLimited(web), 5);
});

test('the backoff stops growing at its cap', () => {
  const { queue: q } = queue({ backoff: exponentialBackoff(5, 1_000) });
  const delays = Array.from({ length: 12 }, () => q.addRateLimited(db));
  assert.deepEqual(delays.slice(-3), [1_000, 1_000, 1_000]);
});

test('a terminal failure is not retried and forgets the key\'s failures', () => {
  const { clock, queue: q } = queue();
  q.addRateLimited(web);
  clock.advance(5);
  q.take();
  assert.equal(q.complete(web, { kind: 'failed', error: new Error('invalid spec'), terminal: true }), undefined);
  assert.equal(q.failures(web), 0);
  assert.equal(q.nextDueAtMs(), undefined);
});

test('requeueAfter queues the key after the delay and forgets its failures', () => {
  const { clock, queue: q } = queue();
  q.add(web);
  q.take();
  q.complete(web, { kind: 'failed', error: new Error('flaky'), terminal: false });
  clock.advance(1_000);
  assert.deepEqual(q.take(), web);
  assert.equal(q.complete(web, { kind: 'requeueAfter', delayMs: 30_000 }), 30_000);
  assert.equal(q.failures(web), 0);
  assert.equal(q.nextDueAtMs(), 32_000);
});

test('an event during a failing reconcile runs the key at once instead of after its backoff', () => {
  const { queue: q } = queue();
  q.add(web);
  q.take();
  q.add(web);
  q.complete(web, { kind: 'failed', error: new Error('conflict'), terminal: false });
  assert.deepEqual(q.take(), web);
});

test('the retry bucket spreads a storm of failing keys beyond its burst', () => {
  const { queue: q } = queue({ retryRate: { perSecond: 10, burst: 2 }, backoff: exponentialBackoff(5, 1_000) });
  const delays = ['a', 'b', 'c', 'd'].map((name) => q.addRateLimited({ ...site, namespace: 'x', name }));
  assert.deepEqual(delays, [5, 5, 100, 200]);
});

test('a resync queues every key the host lists, once per period', () => {
  let listed = [web, db];
  const { clock, queue: q } = queue({ resync: { periodMs: 60_000, keys: () => listed } });
  assert.equal(q.nextDueAtMs(), 61_000);
  assert.equal(q.take(), undefined);
  clock.advance(60_000);
  assert.deepEqual(q.takeDue(), [web, db]);
  q.done(web);
  q.done(db);
  assert.equal(q.nextDueAtMs(), 121_000);
  listed = [node];
  clock.advance(60_000);
  assert.deepEqual(q.takeDue(), [node]);
});

test('its state survives a restart: delays shrink by the time the host was down, failures are kept', () => {
  const { clock, queue: q } = queue();
  q.addAfter(web, 10_000);
  q.addRateLimited(db);
  q.add(node);
  q.take();
  const state = JSON.parse(JSON.stringify(q.state())) as ReturnType<WorkQueue<ReconcileRequest>['state']>;
  assert.deepEqual(state.items, [
    { key: node, delayMs: 0 },
    { key: db, delayMs: 5, failures: 1 },
    { key: web, delayMs: 10_000 },
  ]);
  const restored = WorkQueue.restore(state, { clock, keyOf: requestKey, retryRate: 'unlimited' }, 4_000);
  assert.deepEqual(restored.takeDue(), [node, db]);
  assert.equal(restored.failures(db), 1);
  assert.equal(restored.nextDueAtMs(), clock.now() + 6_000);
});

test('keys are one when their identity is, whatever else the objects hold', () => {
  const { queue: q } = queue();
  q.add({ ...web });
  q.add(web);
  assert.equal(q.size, 1);
  const strings = new WorkQueue<string>({ clock: new ManualClock(), keyOf: (s) => s });
  strings.add('a');
  strings.add('a');
  assert.deepEqual(strings.takeDue(), ['a']);
});
