import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from '../field-error.ts';
import type { JsonObject } from '../json.ts';
import { compileCelRules } from './cel-rules.ts';
import { validateCustomResource, type CustomResourceVersion } from './custom-resource.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', maximum: 3 },
        note: { type: 'string' },
        ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } } } },
        tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
      },
    },
  },
};
const version: CustomResourceVersion = { apiVersion: 'example.com/v1', kind: 'Gadget', namespaced: true, schema };
const gadget = (spec: JsonObject, rv: string): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default', resourceVersion: rv }, spec });

test('an update keeps an invalid value it did not touch (validation ratcheting)', () => {
  const old = gadget({ size: 5, note: 'a' }, '1');
  assert.equal(formatFieldErrors(validateCustomResource(gadget({ size: 5, note: 'b' }, '1'), old, version)), '');
  assert.equal(formatFieldErrors(validateCustomResource(gadget({ size: 6, note: 'a' }, '1'), old, version)), 'spec.size: Invalid value: 6: spec.size in body should be less than or equal to 3');
});

test('list-type=map items are matched by key, atomic list items only as a whole list', () => {
  const old = gadget({ ports: [{ name: 'a', port: 500 }], tags: ['long-tag'] }, '1');
  const reordered = gadget({ ports: [{ name: 'b', port: 1 }, { name: 'a', port: 500 }], tags: ['long-tag'] }, '1');
  assert.equal(formatFieldErrors(validateCustomResource(reordered, old, version)), '');
  const newTag = gadget({ ports: [{ name: 'a', port: 500 }], tags: ['long-tag', 'x'] }, '1');
  assert.equal(formatFieldErrors(validateCustomResource(newTag, old, version)), 'spec.tags[0]: Too long: may not be more than 3 bytes');
});

test('CEL rules without oldSelf are not rechecked on unchanged values', async () => {
  const withRule: JSONSchemaProps = structuredClone(schema);
  withRule.properties!.spec!.properties!.note!['x-kubernetes-validations'] = [{ rule: "self != 'bad'", message: 'bad note' }];
  const { validator } = await compileCelRules(withRule, 's');
  const v = { ...version, schema: withRule, cel: validator! };
  const old = gadget({ note: 'bad', size: 1 }, '1');
  assert.equal(formatFieldErrors(validateCustomResource(gadget({ note: 'bad', size: 2 }, '1'), old, v)), '');
  assert.equal(formatFieldErrors(validateCustomResource(gadget({ note: 'bad' }, '1'), undefined, v)), 'spec.note: Invalid value: "string": bad note');
});
