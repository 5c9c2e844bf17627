import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFieldValidation, unknownFieldOutcome, warningHeader } from './field-validation.ts';

test('without the parameter the server warns, as kube-apiserver does', () => {
  assert.equal(parseFieldValidation(undefined), 'Warn');
  assert.equal(parseFieldValidation('Strict'), 'Strict');
  assert.equal(parseFieldValidation('strict'), undefined);
});

test('Strict refuses with the strict decoding error kubectl prints', () => {
  assert.deepEqual(unknownFieldOutcome(['spec.foo', 'spec.bar'], 'Strict', 'Gadget', 'v1'), {
    kind: 'reject',
    message: 'Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
  });
});

test('Warn accepts with one 299 warning per unknown field, Ignore stays silent', () => {
  const outcome = unknownFieldOutcome(['spec.foo'], 'Warn', 'Gadget', 'v1');
  assert.deepEqual(outcome, { kind: 'warn', warnings: ['unknown field "spec.foo"'] });
  assert.equal(warningHeader('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
  assert.deepEqual(unknownFieldOutcome(['spec.foo'], 'Ignore', 'Gadget', 'v1'), { kind: 'accept' });
});
