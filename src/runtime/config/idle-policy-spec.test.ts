import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idlePolicyPattern, parseIdlePolicy } from './idle-policy-spec.ts';

test('the four idle policies parse, after: with a Go duration', () => {
  assert.deepEqual(parseIdlePolicy('never'), { kind: 'never' });
  assert.deepEqual(parseIdlePolicy('immediate'), { kind: 'immediate' });
  assert.deepEqual(parseIdlePolicy('adaptive'), { kind: 'adaptive' });
  assert.deepEqual(parseIdlePolicy('after:1m30s'), { kind: 'after', idleMs: 90_000 });
});

test('an unknown policy lists the accepted ones, and a bad duration says what is wrong with it', () => {
  assert.throws(() => parseIdlePolicy('sometimes'), { message: 'invalid idle policy "sometimes": must be one of "never", "immediate", "adaptive", "after:<duration>"' });
  assert.throws(() => parseIdlePolicy('after:30'), /invalid duration "30"/);
  assert.throws(() => parseIdlePolicy('after:-1s'), /must not be negative/);
});

test('the CRD pattern accepts exactly what the parser accepts', () => {
  const re = new RegExp(idlePolicyPattern, 'u');
  for (const ok of ['never', 'adaptive', 'after:30s', 'after:1h2m']) assert.ok(re.test(ok), ok);
  for (const bad of ['Never', 'after:', 'after:30', 'after 30s', 'adaptive ']) assert.ok(!re.test(bad), bad);
});
