import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError, formatFieldErrors } from './field-error.ts';

test('an invalid value is shown with the value, quoted when it is a string', () => {
  assert.equal(
    formatFieldError({ type: 'FieldValueInvalid', field: 'metadata.name', value: 'Bad_Name', detail: 'must be lowercase' }),
    'metadata.name: Invalid value: "Bad_Name": must be lowercase',
  );
  assert.equal(formatFieldError({ type: 'FieldValueInvalid', field: 'spec.size', value: 5, detail: 'too big' }), 'spec.size: Invalid value: 5: too big');
});

test('a required value never shows a value', () => {
  assert.equal(formatFieldError({ type: 'FieldValueRequired', field: 'spec.image', value: undefined }), 'spec.image: Required value');
});

test('several errors are aggregated in brackets, duplicates once', () => {
  const required = { type: 'FieldValueRequired', field: 'spec.a' } as const;
  const invalid = { type: 'FieldValueInvalid', field: 'spec.b', value: 1, detail: 'no' } as const;
  assert.equal(formatFieldErrors([required]), 'spec.a: Required value');
  assert.equal(formatFieldErrors([required, invalid, required]), '[spec.a: Required value, spec.b: Invalid value: 1: no]');
});
