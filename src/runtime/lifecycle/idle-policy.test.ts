import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIdlePolicy } from './idle-policy.ts';

test('never stays warm without asking again, immediate always suspends', () => {
  const input = { nowMs: 10_000, idleSinceMs: 0 };
  assert.deepEqual(createIdlePolicy({ kind: 'never' }).whenIdle(input), { kind: 'stayWarm' });
  assert.deepEqual(createIdlePolicy({ kind: 'immediate' }).whenIdle({ ...input, nowMs: 0 }), { kind: 'suspend' });
});

test('after:<duration> stays warm until the operator has been idle that long', () => {
  const policy = createIdlePolicy({ kind: 'after', idleMs: 30_000 });
  assert.deepEqual(policy.whenIdle({ nowMs: 1_000, idleSinceMs: 1_000 }), { kind: 'stayWarm', untilMs: 31_000 });
  assert.deepEqual(policy.whenIdle({ nowMs: 31_000, idleSinceMs: 1_000 }), { kind: 'suspend' });
});

test('the fixed policies wake an operator exactly when its work is due', () => {
  for (const spec of [{ kind: 'never' }, { kind: 'immediate' }, { kind: 'after', idleMs: 5 }] as const) {
    assert.equal(createIdlePolicy(spec).wakeAtMs(9_000), 9_000);
  }
});

test('each operator gets its own adaptive policy, so one operator\'s habits do not leak into another\'s', () => {
  const a = createIdlePolicy({ kind: 'adaptive' });
  const b = createIdlePolicy({ kind: 'adaptive' });
  assert.notEqual(a, b);
  a.observe({ kind: 'restored', durationMs: 500 });
  assert.notEqual(a.wakeAtMs(10_000), b.wakeAtMs(10_000));
});
