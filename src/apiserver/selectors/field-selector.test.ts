import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesFields, parseFieldSelector } from './field-selector.ts';

test('terms are =, == or !=, joined by commas', () => {
  assert.deepEqual(parseFieldSelector('metadata.name=web,status.phase!=Running,spec.nodeName==n1'), [
    { field: 'metadata.name', operator: 'equals', value: 'web' },
    { field: 'status.phase', operator: 'notEquals', value: 'Running' },
    { field: 'spec.nodeName', operator: 'equals', value: 'n1' },
  ]);
});

test('backslashes escape commas and operators in values', () => {
  assert.deepEqual(parseFieldSelector('metadata.name=a\\,b\\=c'), [{ field: 'metadata.name', operator: 'equals', value: 'a,b=c' }]);
});

test('absent fields read as the empty string', () => {
  const read = (f: string) => ({ 'metadata.name': 'web' } as Record<string, string>)[f];
  assert.equal(matchesFields(parseFieldSelector('metadata.name=web,spec.nodeName='), read), true);
  assert.equal(matchesFields(parseFieldSelector('spec.nodeName!='), read), false);
});

test('a term without an operator is refused', () => {
  assert.throws(() => parseFieldSelector('metadata.name'), /invalid selector: 'metadata.name'; can't understand 'metadata.name'/);
});
