import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { builtinTypeInfo } from '../type-info/index.ts';
import { maxUpdateManagers, recordWrite } from './index.ts';

const typeInfo = builtinTypeInfo({ group: '', version: 'v1', kind: 'ConfigMap' })!;
const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', uid: 'u1', resourceVersion: '7' } };
const at = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
const update = (fieldManager: string, minute: number, extra: { subresource?: string } = {}) => ({ fieldManager, operation: 'Update' as const, now: at(minute), typeInfo, ...extra });
const entries = (object: JsonObject): JsonObject[] => ((object.metadata as JsonObject).managedFields ?? []) as JsonObject[];

test('a create records its writer as an Update manager, never owning identity fields', () => {
  const created = recordWrite(undefined, { ...base, data: { a: '1' } }, update('kubectl-create', 0));
  assert.deepEqual(entries(created), [{
    manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: at(0), fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
  }]);
});

test('an update moves changed fields to the writer and keeps the rest with their owners', () => {
  const created = recordWrite(undefined, { ...base, data: { a: '1', b: '2' } }, update('creator', 0));
  const updated = recordWrite(created, { ...created, data: { a: '1', b: '3', c: '4' } }, update('editor', 1));
  assert.deepEqual(entries(updated).map((e) => [e.manager, e.fieldsV1]), [
    ['creator', { 'f:data': { '.': {}, 'f:a': {} } }],
    ['editor', { 'f:data': { 'f:b': {}, 'f:c': {} } }],
  ]);
});

test('an update that changes nothing records nothing new', () => {
  const created = recordWrite(undefined, { ...base, data: { a: '1' } }, update('creator', 0));
  assert.deepEqual(entries(recordWrite(created, created, update('editor', 1))), entries(created));
});

test('an existing object without managedFields stays untracked, and [{}] resets them', () => {
  const untracked = recordWrite({ ...base, data: { a: '1' } }, { ...base, data: { a: '2' } }, update('editor', 1));
  assert.equal((untracked.metadata as JsonObject).managedFields, undefined);
  const created = recordWrite(undefined, { ...base, data: { a: '1' } }, update('creator', 0));
  const reset = recordWrite(created, { ...created, metadata: { ...(created.metadata as JsonObject), managedFields: [{}] } }, update('editor', 1));
  assert.equal((reset.metadata as JsonObject).managedFields, undefined);
});

test('managedFields sent with an update replace the stored ones, except on a subresource', () => {
  const created = recordWrite(undefined, { ...base, data: { a: '1' } }, update('creator', 0));
  const sent = [{ manager: 'someone', operation: 'Update', apiVersion: 'v1', time: at(0), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
  const replaced = recordWrite(created, { ...created, metadata: { ...(created.metadata as JsonObject), managedFields: sent } }, update('editor', 1));
  assert.deepEqual(entries(replaced).map((e) => e.manager), ['someone']);
  const viaStatus = recordWrite(created, { ...created, metadata: { ...(created.metadata as JsonObject), managedFields: sent }, data: { a: '2' } }, update('editor', 1, { subresource: 'status' }));
  assert.deepEqual(entries(viaStatus).map((e) => [e.manager, e.subresource, e.fieldsV1]), [
    ['creator', undefined, { 'f:data': {} }],
    ['editor', 'status', { 'f:data': { 'f:a': {} } }],
  ]);
});

test(`more than ${maxUpdateManagers} Update managers: the oldest merge into ancient-changes`, () => {
  let object = recordWrite(undefined, { ...base, data: { k0: 'v' } }, update('m0', 0));
  for (let i = 1; i <= maxUpdateManagers + 1; i++) {
    object = recordWrite(object, { ...object, data: { ...(object.data as JsonObject), [`k${i}`]: 'v' } }, update(`m${i}`, i));
  }
  const managers = entries(object).map((e) => e.manager);
  assert.equal(managers.length, maxUpdateManagers);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('m0') && !managers.includes('m1') && !managers.includes('m2'));
  const ancient = entries(object).find((e) => e.manager === 'ancient-changes')!;
  assert.deepEqual(Object.keys(ancient.fieldsV1 as JsonObject), ['f:data']);
  assert.deepEqual(Object.keys((ancient.fieldsV1 as JsonObject)['f:data'] as JsonObject).sort(), ['.', 'f:k0', 'f:k1', 'f:k2']);
});
