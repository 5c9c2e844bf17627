import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdaptivePolicy } from './adaptive-policy.ts';

/** A policy whose break-even is exactly 30 ms (suspend 20 + restore 10) and that learns from `gaps`. */
function learned(gaps: number[]) {
  const policy = new AdaptivePolicy({ initialSuspendMs: 20, initialRestoreMs: 10 });
  let at = 0;
  policy.observe({ kind: 'arrival', atMs: at });
  for (const gap of gaps) policy.observe({ kind: 'arrival', atMs: (at += gap) });
  return { policy, lastArrivalMs: at };
}

test('without enough history it stays warm for one break-even time, then suspends', () => {
  const { policy } = learned([5]);
  assert.deepEqual(policy.whenIdle({ nowMs: 100, idleSinceMs: 100 }), { kind: 'stayWarm', untilMs: 130 });
  assert.deepEqual(policy.whenIdle({ nowMs: 130, idleSinceMs: 100 }), { kind: 'suspend' });
});

test('an operator whose events come in quick bursts stays warm inside a burst', () => {
  const { policy, lastArrivalMs } = learned([2, 3, 2, 60_000, 2, 4, 3, 60_000, 2, 2]);
  const decision = policy.whenIdle({ nowMs: lastArrivalMs + 1, idleSinceMs: lastArrivalMs + 1 });
  assert.deepEqual(decision, { kind: 'stayWarm', untilMs: lastArrivalMs + 2 }, 'asked again when the quiet time passes the shortest gap');
});

test('an operator in a busy spell stays warm between events a few seconds apart, and suspends once the spell ends', () => {
  const { policy, lastArrivalMs } = learned([3_000, 2_500, 4_000, 3_500, 3_000]);
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 2, idleSinceMs: lastArrivalMs + 2 }), { kind: 'stayWarm', untilMs: lastArrivalMs + 2_500 });
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 2_600, idleSinceMs: lastArrivalMs + 2 }), { kind: 'stayWarm', untilMs: lastArrivalMs + 3_000 });
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 3_200, idleSinceMs: lastArrivalMs + 2 }), { kind: 'suspend' }, 'quiet longer than most of its gaps: the spell is over');
});

test('once a burst has gone quiet longer than its gaps, it suspends', () => {
  const { policy, lastArrivalMs } = learned([2, 3, 2, 60_000, 2, 4, 3, 60_000, 2, 2]);
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 31, idleSinceMs: lastArrivalMs + 1 }), { kind: 'suspend' });
});

test('an operator whose events are further apart than a busy spell suspends at once', () => {
  const { policy, lastArrivalMs } = learned([30_000, 29_000, 31_000, 30_000, 29_500]);
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 2, idleSinceMs: lastArrivalMs + 2 }), { kind: 'suspend' });
});

test('a timer due sooner than a suspend and restore keeps it warm until the timer', () => {
  const { policy, lastArrivalMs } = learned([30_000, 29_000, 31_000, 30_000]);
  const nowMs = lastArrivalMs + 5;
  assert.deepEqual(policy.whenIdle({ nowMs, idleSinceMs: nowMs, nextDueAtMs: nowMs + 25 }), { kind: 'stayWarm', untilMs: nowMs + 25 });
  assert.deepEqual(policy.whenIdle({ nowMs, idleSinceMs: nowMs, nextDueAtMs: nowMs + 5_000 }), { kind: 'suspend' });
});

test('measured suspend and restore times move the break-even point', () => {
  const policy = new AdaptivePolicy({ initialSuspendMs: 20, initialRestoreMs: 10, costSmoothing: 0.5 });
  policy.observe({ kind: 'suspended', durationMs: 100 });
  policy.observe({ kind: 'restored', durationMs: 50 });
  assert.equal(policy.breakEvenMs, 60 + 30);
});

test('it wakes a suspended operator one measured restore time before its work is due', () => {
  const policy = new AdaptivePolicy({ initialRestoreMs: 10, costSmoothing: 1 });
  assert.equal(policy.wakeAtMs(5_000), 4_990);
  policy.observe({ kind: 'restored', durationMs: 4 });
  assert.equal(policy.wakeAtMs(5_000), 4_996);
});

test('it forgets old habits: an operator that turns bursty is kept warm once its recent gaps say so', () => {
  const policy = new AdaptivePolicy({ initialSuspendMs: 20, initialRestoreMs: 10, historySize: 8 });
  let at = 0;
  for (let i = 0; i < 8; i++) policy.observe({ kind: 'arrival', atMs: (at += 10_000) });
  assert.deepEqual(policy.whenIdle({ nowMs: at + 1, idleSinceMs: at + 1 }), { kind: 'suspend' });
  for (let i = 0; i < 8; i++) policy.observe({ kind: 'arrival', atMs: (at += 5) });
  assert.equal(policy.whenIdle({ nowMs: at + 1, idleSinceMs: at + 1 }).kind, 'stayWarm');
});

test('a quiet time longer than all but a few gaps is not enough evidence to stay warm', () => {
  const { policy, lastArrivalMs } = learned([8_000, 300, 250, 400, 350, 300]);
  assert.equal(policy.whenIdle({ nowMs: lastArrivalMs + 2, idleSinceMs: lastArrivalMs + 2 }).kind, 'stayWarm');
  assert.deepEqual(policy.whenIdle({ nowMs: lastArrivalMs + 5_000, idleSinceMs: lastArrivalMs + 2 }), { kind: 'suspend' }, 'only the 8 s gap is longer than 5 s');
});
