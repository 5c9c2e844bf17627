import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isResident, nextPhase, phases, transitions, type LifecycleEvent } from './phase.ts';

test('an operator goes cold, loading, warm, busy, warm, suspending, suspended, and back through loading to warm', () => {
  const events: LifecycleEvent[] = ['load', 'loaded', 'callStarted', 'callFinished', 'suspend', 'suspended', 'load', 'loaded'];
  const seen = events.reduce<string[]>((path, event) => [...path, nextPhase(path.at(-1) as 'cold', event)], ['cold']);
  assert.deepEqual(seen, ['cold', 'loading', 'warm', 'busy', 'warm', 'suspending', 'suspended', 'loading', 'warm']);
});

test('a busy operator cannot be suspended, and the error names the operator, phase and event', () => {
  assert.throws(() => nextPhase('busy', 'suspend', 'cert-renewer'), {
    name: 'InvalidTransitionError',
    code: 'INVALID_TRANSITION',
    message: 'operator "cert-renewer" cannot take event "suspend" while busy; its phase is unchanged',
  });
});

test('a trap fails the operator and a failed suspend leaves it warm', () => {
  assert.equal(nextPhase('busy', 'trapped'), 'failed');
  assert.equal(nextPhase('suspending', 'suspendFailed'), 'warm');
  assert.equal(nextPhase('failed', 'load'), 'loading');
});

test('every phase has a way out, and every edge leads to a known phase', () => {
  for (const phase of phases) {
    const targets = Object.values(transitions[phase]);
    assert.ok(targets.length > 0, `${phase} is a dead end`);
    for (const target of targets) assert.ok(phases.includes(target), `${phase} leads to unknown ${target}`);
  }
});

test('only loading, warm, busy and suspending operators hold memory', () => {
  assert.deepEqual(phases.filter(isResident), ['loading', 'warm', 'busy', 'suspending']);
});
