import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { compareKubeVersions, conflictingNames, crdValidationErrors, defaultCrd, typesFromCrd } from './crd-types.ts';

const literal = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com', uid: 'u1' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'] },
    versions: [
      { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object' } }, selectableFields: [{ jsonPath: '.spec.color' }] },
      { name: 'v2', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};
const crd = literal as unknown as JsonObject;

test('defaults fill singular, listKind, conversion and storedVersions', () => {
  const d = defaultCrd(crd) as unknown as typeof literal & { spec: { names: Record<string, unknown>; conversion: unknown }; status: { storedVersions: string[] } };
  assert.equal(d.spec.names.singular, 'gadget');
  assert.equal(d.spec.names.listKind, 'GadgetList');
  assert.deepEqual(d.spec.conversion, { strategy: 'None' });
  assert.deepEqual(d.status.storedVersions, ['v1']);
});

test('served versions become types, preferred by kube version priority, converting apiVersion', () => {
  const types = typesFromCrd(crd);
  assert.deepEqual(types.map((t) => [t.version, t.preferred, t.statusSubresource]), [['v1', true, true], ['v1alpha1', false, false]]);
  assert.equal(types[0]!.storage, 'gadgets.example.com');
  assert.equal(types[1]!.conversion!.fromStorage({ apiVersion: 'example.com/v1' }).apiVersion, 'example.com/v1alpha1');
  assert.equal(types[1]!.conversion!.toStorage({ apiVersion: 'example.com/v1alpha1' }).apiVersion, 'example.com/v1');
  assert.equal(types[0]!.fieldLabels['spec.color']!({ spec: { color: 'red' } }), 'red');
});

test('kube version priority: GA, then beta, then alpha, higher first', () => {
  assert.deepEqual(['v1alpha1', 'v2beta1', 'v1', 'v11alpha2', 'v2', 'foo', 'v1beta2'].sort(compareKubeVersions), ['v2', 'v1', 'v2beta1', 'v1beta2', 'v11alpha2', 'v1alpha1', 'foo']);
});

test('invalid CRDs name the fields at fault', () => {
  const bad = { ...literal, metadata: { name: 'x.example.com' }, spec: { ...literal.spec, scope: 'Galaxy', versions: [{ name: 'v1', served: true, storage: false }] } };
  const fields = crdValidationErrors(bad as unknown as JsonObject).map((e) => `${e.field}:${e.type}`);
  assert.deepEqual(fields, ['metadata.name:FieldValueInvalid', 'spec.scope:FieldValueNotSupported', 'spec.versions:FieldValueInvalid', 'spec.versions[0].schema.openAPIV3Schema:FieldValueRequired']);
  assert.deepEqual(crdValidationErrors(crd), []);
});

test('names already accepted for another CRD of the group conflict', () => {
  const other = { metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' }, status: { acceptedNames: { plural: 'widgets', kind: 'Widget', shortNames: ['gd'] } } };
  assert.deepEqual(conflictingNames(crd, [other]), { plural: ['gd'], kind: [] });
});
