import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonValue } from '../json.ts';
import { applyJsonPatch } from './json-patch.ts';
import { PatchError } from './patch-error.ts';

/** Asserts the call fails as kube-apiserver's PATCH would: status, reason, message; returns the detail. */
function rejection(fn: () => unknown, status: number, reason: string, message?: string): string {
  let detail = '';
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    assert.equal(err.status, status);
    assert.equal(err.reason, reason);
    if (message !== undefined) assert.equal(err.message, message);
    detail = err.detail;
    return true;
  });
  return detail;
}
const rejectedMessage = 'the server rejected our request due to an error in our request';

// RFC 6902 appendix A, the examples that succeed.
const rfcExamples: [string, JsonValue, JsonValue, JsonValue][] = [
  ['A.1 adding an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
  ['A.2 adding an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
  ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
  ['A.4 removing an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
  ['A.5 replacing a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
  ['A.6 moving a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
  ['A.7 moving an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    { foo: ['all', 'cows', 'eat', 'grass'] }],
  ['A.8 testing a value: success', { baz: 'qux', foo: ['a', 2, 'c'] },
    [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
  ['A.10 adding a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    { foo: 'bar', child: { grandchild: {} } }],
  ['A.11 ignoring unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
  ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
  ['A.16 adding an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
];

for (const [name, target, patch, expected] of rfcExamples) {
  test(`RFC 6902 ${name}`, () => {
    assert.deepEqual(applyJsonPatch(target, patch), expected);
  });
}

test('RFC 6902 A.9 a failed test answers 422 with kube-apiserver\'s generic message, the cause kept as detail', () => {
  const detail = rejection(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]), 422, 'Invalid', rejectedMessage);
  assert.equal(detail, 'testing value /baz failed: test failed');
});

test('RFC 6902 A.12 adding to a nonexistent target answers 422', () => {
  const detail = rejection(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]), 422, 'Invalid', rejectedMessage);
  assert.equal(detail, 'add operation does not apply: doc is missing path: "/baz/bat": missing value');
});

test('RFC 6902 A.15 a string never equals a number in a test', () => {
  rejection(() => applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }]), 422, 'Invalid');
});

test('the kubectl patch task: a JSON patch replaces one container image by index', () => {
  const deployment = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] } } } };
  const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'new image' }];
  assert.deepEqual(applyJsonPatch(deployment, patch), { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'new image' }] } } } });
  assert.equal(deployment.spec.template.spec.containers[0]!.image, 'nginx');
});

test('operations apply all or nothing', () => {
  const target = { a: 1 };
  rejection(() => applyJsonPatch(target, [{ op: 'add', path: '/b', value: 2 }, { op: 'remove', path: '/missing' }]), 422, 'Invalid');
  assert.deepEqual(target, { a: 1 });
});

test('negative indices count from the end of an array, as in kube-apiserver', () => {
  assert.deepEqual(applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }]), { a: [1, 2] });
  assert.deepEqual(applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'replace', path: '/a/-3', value: 0 }]), { a: [0, 2, 3] });
  assert.deepEqual(applyJsonPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-1', value: 9 }]), { a: [1, 2, 9] });
  rejection(() => applyJsonPatch({ a: [1] }, [{ op: 'remove', path: '/a/-2' }]), 422, 'Invalid');
});

test('an index past the end is refused, one past the end is an append for add only', () => {
  assert.deepEqual(applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }]), { a: [1, 2] });
  rejection(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/2', value: 2 }]), 422, 'Invalid');
  rejection(() => applyJsonPatch({ a: [1] }, [{ op: 'replace', path: '/a/1', value: 2 }]), 422, 'Invalid');
  rejection(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/x', value: 2 }]), 422, 'Invalid');
});

test('replace of a missing member adds it, and replace of the root swaps the document', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  rejection(() => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: 3 }]), 422, 'Invalid');
});

test('a test for null passes on a missing member and on a null one', () => {
  const target = { a: null, b: 1 };
  assert.deepEqual(applyJsonPatch(target, [{ op: 'test', path: '/a', value: null }, { op: 'test', path: '/zz', value: null }]), target);
  rejection(() => applyJsonPatch(target, [{ op: 'test', path: '/b', value: null }]), 422, 'Invalid');
  rejection(() => applyJsonPatch(target, [{ op: 'test', path: '/b' }]), 422, 'Invalid');
});

test('test compares objects and arrays structurally, whatever the member order', () => {
  const target = { spec: { selector: { app: 'web', tier: 'front' }, ports: [80, 443] } };
  assert.deepEqual(applyJsonPatch(target, [{ op: 'test', path: '/spec', value: { ports: [80, 443], selector: { tier: 'front', app: 'web' } } }]), target);
  rejection(() => applyJsonPatch(target, [{ op: 'test', path: '/spec/ports', value: [443, 80] }]), 422, 'Invalid');
});

test('copy duplicates a value without sharing it, and copies null from a missing member', () => {
  const result = applyJsonPatch({ a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }, { op: 'copy', from: '/zz', path: '/d' }]);
  assert.deepEqual(result, { a: { b: [1] }, c: { b: [1, 2] }, d: null });
});

test('move of a missing member, and unknown or missing ops, answer 422', () => {
  rejection(() => applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/zz', path: '/b' }]), 422, 'Invalid');
  assert.equal(rejection(() => applyJsonPatch({ a: 1 }, [{ op: 'frobnicate', path: '/a' }]), 422, 'Invalid'), 'Unexpected kind: frobnicate');
  assert.equal(rejection(() => applyJsonPatch({ a: 1 }, [{ path: '/a' }]), 422, 'Invalid'), 'Unexpected kind: unknown');
  assert.equal(rejection(() => applyJsonPatch({ a: 1 }, [{ op: 'remove' }]), 422, 'Invalid'), 'remove operation failed to decode path: missing value');
});

test('a patch that is not a list of objects is a 400 with Go\'s decoding message', () => {
  rejection(() => applyJsonPatch({}, { op: 'add' }), 400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  rejection(() => applyJsonPatch({}, ['add']), 400, 'BadRequest', 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
  assert.deepEqual(applyJsonPatch({ a: 1 }, null), { a: 1 });
});

test('more than 10,000 operations answer 413 as kube-apiserver does', () => {
  const operations = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/a', value: 1 }));
  rejection(() => applyJsonPatch({ a: 1 }, operations), 413, 'RequestEntityTooLarge',
    'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('escaped pointer tokens reach members whose names hold / and ~', () => {
  const target = { metadata: { annotations: { 'example.com/owner': 'a', 'x~y': 'b' } } };
  const result = applyJsonPatch(target, [
    { op: 'replace', path: '/metadata/annotations/example.com~1owner', value: 'c' },
    { op: 'remove', path: '/metadata/annotations/x~0y' },
  ]);
  assert.deepEqual(result, { metadata: { annotations: { 'example.com/owner': 'c' } } });
});
