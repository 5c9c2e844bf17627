import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonValue } from '../json.ts';
import { applyMergePatch } from './merge-patch.ts';
import { PatchError } from './patch-error.ts';

// RFC 7386 appendix A, every example whose patch is an object or an array.
const rfcExamples: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

for (const [target, patch, expected] of rfcExamples) {
  test(`RFC 7386: ${JSON.stringify(target)} patched with ${JSON.stringify(patch)} gives ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(applyMergePatch(target, patch), expected);
  });
}

test('a null or scalar patch is refused with 400 "Invalid JSON Patch", as kube-apiserver refuses it', () => {
  for (const patch of [null, 'bar', 1, true]) {
    assert.throws(() => applyMergePatch({ a: 'foo' }, patch), (err: unknown) => {
      assert.ok(err instanceof PatchError);
      assert.equal(err.status, 400);
      assert.equal(err.reason, 'BadRequest');
      assert.equal(err.message, 'Invalid JSON Patch');
      return true;
    });
  }
});

test('the kubectl patch task: a merge patch replaces the whole containers list', () => {
  const deployment = {
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }, { name: 'patch-demo-ctr-2', image: 'redis' }] } },
    },
  };
  const patch = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] } } } };
  assert.deepEqual(applyMergePatch(deployment, patch), {
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] } } },
  });
});

test('nulls inside objects in an added array are dropped, as kube-apiserver drops them', () => {
  assert.deepEqual(applyMergePatch({}, { a: [{ b: null, c: 1 }, null] }), { a: [{ c: 1 }, null] });
  assert.deepEqual(applyMergePatch({ a: { x: 1 } }, { a: [{ b: null }] }), { a: [{ b: null }] });
});

test('neither the target nor the patch is modified', () => {
  const target = { metadata: { labels: { app: 'web' } } };
  const patch = { metadata: { labels: { app: null, tier: 'front' } } };
  const result = applyMergePatch(target, patch);
  assert.deepEqual(result, { metadata: { labels: { tier: 'front' } } });
  assert.deepEqual(target, { metadata: { labels: { app: 'web' } } });
  assert.deepEqual(patch, { metadata: { labels: { app: null, tier: 'front' } } });
});

test('a member named __proto__ is stored as data, never as a prototype', () => {
  const patch = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
  const result = applyMergePatch({}, patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.deepEqual(Object.keys(result), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
