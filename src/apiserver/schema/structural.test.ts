import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError, formatFieldErrors } from '../field-error.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import { validateCrdSchema } from './structural.ts';

const at = 'spec.versions[0].schema.openAPIV3Schema';

async function problems(schema: JSONSchemaProps | undefined): Promise<string[]> {
  return (await validateCrdSchema(schema, at)).map(formatFieldError);
}

test('a well-formed schema has no problems', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } } }), []);
});

test('a v1 CRD version without a schema is refused', async () => {
  assert.deepEqual(await problems(undefined), [`${at}: Required value: schemas are required`]);
});

test('a property without type is not structural', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } }), [
    `${at}.properties[spec].type: Required value: must not be empty for specified object fields`,
  ]);
  assert.deepEqual(await problems({ properties: {} }), [`${at}.type: Required value: must not be empty at the root`]);
  assert.deepEqual(await problems({ type: 'array', items: { type: 'string' } }), [`${at}.type: Invalid value: "array": must be object at the root`]);
});

test('preserve-unknown-fields stands in for a type, but only when true', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { cfg: { 'x-kubernetes-preserve-unknown-fields': true } } }), []);
  assert.deepEqual(await problems({ type: 'object', properties: { cfg: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } } }), [
    `${at}.properties[cfg].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
  ]);
});

test('keywords apiextensions v1 does not support are forbidden', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { a: { type: 'array', uniqueItems: true, items: { type: 'string' } }, b: { type: 'object', $ref: '#/x' } } }), [
    `${at}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    `${at}.properties[b].$ref: Forbidden: $ref is not supported`,
  ]);
  assert.deepEqual(await problems({ type: 'object', properties: { a: { type: 'thing' } } }), [
    `${at}.properties[a].type: Unsupported value: "thing": supported values: "array", "boolean", "integer", "number", "object", "string"`,
  ]);
});

test('value validations may not specify types or defaults (structural rule)', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string', default: 'x' }] } } }), [
    `${at}.properties[a].anyOf[0].default: Forbidden: must be undefined to be structural`,
    `${at}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
  ]);
  assert.deepEqual(await problems({ type: 'object', anyOf: [{ properties: { b: { minimum: 1 } } }] }), [
    `${at}.properties[b]: Required value: because it is defined in ${at}.anyOf[0].properties[b]`,
  ]);
});

test('CEL rules and map types may not hide inside allOf/anyOf/oneOf/not', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { a: { type: 'object', allOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }], 'x-kubernetes-map-type': 'atomic' }] } } }), [
    `${at}.properties[a].allOf[0].type: Required value: must be object if x-kubernetes-map-type is specified`,
    `${at}.properties[a].allOf[0].x-kubernetes-map-type: Forbidden: must be undefined to be structural`,
    `${at}.properties[a].allOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`,
  ]);
});

test('the int-or-string anyOf pattern is allowed', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } }), []);
});

test('metadata may only restrict name and generateName', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } } }), []);
  assert.deepEqual(await problems({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }), [
    `${at}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
  ]);
});

test('list-map keys need list-type map, and must be required or defaulted scalars', async () => {
  assert.deepEqual(await problems({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } } } }), [
    `${at}.properties[l].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty`,
  ]);
  assert.deepEqual(await problems({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'zone'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } }), [
    `${at}.properties[l].x-kubernetes-list-map-keys: Invalid value: []string{"name", "zone"}: entries must all be names of item properties`,
  ]);
  assert.deepEqual(await problems({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } } } }), [
    `${at}.properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
  ]);
});

test('defaults must validate and be pruned', async () => {
  assert.equal(
    formatFieldErrors(await validateCrdSchema({ type: 'object', properties: { size: { type: 'integer', default: 'big' } } }, at)),
    // kube-openapi names an unnamed root value "", so kube's message starts with two spaces
    `${at}.properties[size].default: Invalid value: "string":  in body must be of type integer: "string"`,
  );
  assert.equal(
    formatFieldErrors(await validateCrdSchema({ type: 'object', properties: { o: { type: 'object', default: { a: 1, b: 2 }, properties: { a: { type: 'integer' } } } } }, at)),
    `${at}.properties[o].default: Invalid value: map[string]interface {}{"a":1, "b":2}: must not have unknown fields`,
  );
});

test('CEL rules must compile', async () => {
  const errs = await problems({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule: '' }] } } });
  assert.deepEqual(errs, [`${at}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`]);
});
