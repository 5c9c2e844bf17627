import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../field-error.ts';
import type { JsonObject } from '../json.ts';
import { validateCrdVersions } from './crd-versions.ts';

function crd(version: JsonObject): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, ...version }] },
  };
}

test('every version schema is checked on its own path', async () => {
  const errors = await validateCrdVersions(crd({ schema: { openAPIV3Schema: { type: 'object', properties: { spec: {} } } } }));
  assert.deepEqual(errors.map(formatFieldError), ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']);
});

test('printer columns need a name, a known type and a simple JSON path', async () => {
  const errors = await validateCrdVersions(crd({
    schema: { openAPIV3Schema: { type: 'object' } },
    additionalPrinterColumns: [{ name: 'Size', type: 'int', jsonPath: 'spec.size' }, { type: 'string', jsonPath: '.spec.x', format: 'weird' }],
  }));
  assert.deepEqual(errors.map(formatFieldError), [
    'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "int": supported values: "boolean", "date", "integer", "number", "string"',
    'spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: "spec.size": must be a simple json path starting with .',
    'spec.versions[0].additionalPrinterColumns[1].name: Required value',
    'spec.versions[0].additionalPrinterColumns[1].format: Unsupported value: "weird": supported values: "byte", "date", "date-time", "double", "float", "int32", "int64", "password"',
  ]);
});
