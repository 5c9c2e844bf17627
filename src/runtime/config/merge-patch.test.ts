import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePatch } from './merge-patch.ts';

test('objects merge key by key, null removes, arrays and scalars replace (RFC 7386)', () => {
  const defaults = { replicas: 1, image: { repo: 'x', tag: 'v1' }, hosts: ['a', 'b'], debug: true };
  const patch = { image: { tag: 'v2' }, hosts: ['c'], debug: null, extra: { on: true } };
  assert.deepEqual(mergePatch(defaults, patch), { replicas: 1, image: { repo: 'x', tag: 'v2' }, hosts: ['c'], extra: { on: true } });
  assert.deepEqual(defaults.image, { repo: 'x', tag: 'v1' }, 'the target is not modified');
});

test('an object patch over a scalar starts from an empty object', () => {
  assert.deepEqual(mergePatch({ a: 1 }, { a: { b: null, c: 2 } }), { a: { c: 2 } });
});
