import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownFieldOutcome } from './field-validation.ts';

test('Strict refuses with the strict decoding error kubectl prints', () => {
  assert.deepEqual(unknownFieldOutcome(['spec.foo', 'spec.bar'], 'Strict', 'Gadget', 'v1'), {
    kind: 'reject',
    message: 'Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
  });
});

test('Warn accepts with one warning per unknown field, Ignore stays silent', () => {
  const outcome = unknownFieldOutcome(['spec.foo'], 'Warn', 'Gadget', 'v1');
  assert.deepEqual(outcome, { kind: 'warn', warnings: ['unknown field "spec.foo"'] });
  assert.deepEqual(unknownFieldOutcome(['spec.foo'], 'Ignore', 'Gadget', 'v1'), { kind: 'accept' });
});
