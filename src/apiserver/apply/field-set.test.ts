import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldSet } from './field-set.ts';
import { keyElement, pathToString, type PathElement } from './path-element.ts';

const f = (field: string): PathElement => ({ field });

test('fieldsV1 lists fields, then keys, then values, each sorted as kube sorts them', () => {
  const set = FieldSet.fromPaths([
    [f('spec'), f('ports'), keyElement([['protocol', 'TCP'], ['port', 80]])],
    [f('spec'), f('ports'), keyElement([['protocol', 'TCP'], ['port', 80]]), f('targetPort')],
    [f('metadata'), f('finalizers'), { value: 'b' }],
    [f('metadata'), f('finalizers'), { value: 'a' }],
    [f('data')],
  ]);
  const encoded = set.toFieldsV1();
  assert.equal(JSON.stringify(encoded),
    '{"f:data":{},"f:metadata":{"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}}},"f:spec":{"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:targetPort":{}}}}}');
  assert.deepEqual(FieldSet.fromFieldsV1(encoded).toFieldsV1(), encoded);
});

test('kube prints paths with keys and values in brackets', () => {
  assert.equal(pathToString([f('spec'), f('containers'), keyElement([['name', 'web']]), f('image')]), '.spec.containers[name="web"].image');
  assert.equal(pathToString([f('metadata'), f('finalizers'), { value: 'x' }]), '.metadata.finalizers[="x"]');
});

test('difference removes members level by level, leaving deeper paths of a removed member', () => {
  const a = FieldSet.fromPaths([[f('a')], [f('a'), f('b')], [f('c')]]);
  const b = FieldSet.fromPaths([[f('a')]]);
  assert.deepEqual(a.difference(b).paths().map(pathToString), ['.c', '.a.b']);
  assert.deepEqual(a.intersection(FieldSet.fromPaths([[f('a'), f('b')], [f('z')]])).paths().map(pathToString), ['.a.b']);
});
