import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLease, microTime } from './leader-election.ts';

const t0 = Date.parse('2026-03-01T10:00:00Z');

test('a missing lease is taken with no transition counted', () => {
  assert.deepEqual(decideLease(undefined, 0, t0, 'a', 15_000), {
    kind: 'take',
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2026-03-01T10:00:00.000000Z', renewTime: '2026-03-01T10:00:00.000000Z', leaseTransitions: 0 },
  });
});

test('a lease held by another is left alone until it has been seen unchanged for its duration', () => {
  const held = { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: microTime(t0), acquireTime: microTime(t0), leaseTransitions: 3 };
  assert.deepEqual(decideLease(held, t0, t0 + 14_999, 'a', 10_000), { kind: 'held', holder: 'b', expiresAtMs: t0 + 15_000 });
  const taken = decideLease(held, t0, t0 + 15_000, 'a', 10_000);
  assert.equal(taken.kind, 'take');
  assert.deepEqual(taken.kind === 'take' && [taken.spec.holderIdentity, taken.spec.leaseTransitions, taken.spec.leaseDurationSeconds], ['a', 4, 10]);
});

test('expiry is measured from when this candidate observed the lease, not from the holder\'s renewTime', () => {
  // The holder's clock runs an hour behind: its renewTime looks long expired, but it was seen renewing just now.
  const skewed = { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: microTime(t0 - 3_600_000) };
  assert.equal(decideLease(skewed, t0, t0 + 1_000, 'a', 15_000).kind, 'held');
});

test('the holder renews keeping its acquire time and transition count', () => {
  const mine = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(t0), renewTime: microTime(t0), leaseTransitions: 2 };
  const renewed = decideLease(mine, t0, t0 + 2_000, 'a', 15_000);
  assert.deepEqual(renewed, { kind: 'take', spec: { ...mine, renewTime: microTime(t0 + 2_000) } });
});

test('a released lease (no holder) is free at once', () => {
  const released = { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 5 };
  const decision = decideLease(released, t0, t0, 'a', 15_000);
  assert.deepEqual(decision.kind === 'take' && [decision.spec.holderIdentity, decision.spec.leaseTransitions], ['a', 6]);
});

test('MicroTime has six fractional digits, as the API server writes it', () => {
  assert.equal(microTime(Date.parse('2026-03-01T10:00:00.123Z')), '2026-03-01T10:00:00.123000Z');
});
