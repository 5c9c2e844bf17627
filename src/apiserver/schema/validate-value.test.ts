import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from '../field-error.ts';
import type { JsonValue } from '../json.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import { validateValue } from './validate-value.ts';

const gadget: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', minLength: 3, maxLength: 10, pattern: '^[a-z]+$' },
        size: { type: 'integer', minimum: 1, maximum: 3 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, multipleOf: 0.5 },
        replicas: { type: 'integer' },
        color: { type: 'string', enum: ['red', 'blue'] },
        port: { 'x-kubernetes-int-or-string': true },
        id: { type: 'string', format: 'uuid' },
        when: { type: 'string', format: 'date-time' },
        bits: { type: 'integer', format: 'int32' },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
      },
    },
  },
};

function check(spec: Record<string, JsonValue>): string {
  return formatFieldErrors(validateValue({ spec: { image: 'nginx', ...spec } }, gadget));
}

test('a value above maximum is reported as kube-apiserver words it', () => {
  assert.equal(check({ size: 5 }), 'spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3');
  assert.equal(check({ size: 0 }), 'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1');
});

test('a wrong type names the expected type and the type that was sent', () => {
  assert.equal(check({ replicas: 'three' }), 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  assert.equal(check({ replicas: 1.5 }), 'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"');
});

test('a missing required field is a Required value', () => {
  assert.equal(formatFieldErrors(validateValue({ spec: {} }, gadget)), 'spec.image: Required value');
});

test('an enum miss lists the supported values', () => {
  assert.equal(check({ color: 'pink' }), 'spec.color: Unsupported value: "pink": supported values: "red", "blue"');
});

test('string length and pattern rules use kube-openapi messages', () => {
  assert.equal(check({ image: 'ab' }), 'spec.image: Invalid value: "ab": spec.image in body should be at least 3 chars long');
  assert.equal(check({ image: 'abcdefghijkl' }), 'spec.image: Too long: may not be more than 10 bytes');
  assert.equal(check({ image: 'Nginx' }), "spec.image: Invalid value: \"Nginx\": spec.image in body should match '^[a-z]+$'");
});

test('exclusive minimum and multipleOf are enforced on numbers', () => {
  assert.equal(check({ ratio: 0 }), 'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0');
  assert.equal(check({ ratio: 0.7 }), 'spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5');
  assert.equal(check({ ratio: 1.5 }), '');
});

test('int-or-string accepts both and refuses anything else', () => {
  assert.equal(check({ port: 80 }), '');
  assert.equal(check({ port: 'http' }), '');
  assert.equal(check({ port: true }), 'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"');
});

test('string formats are checked, numeric formats are not (as in kube-apiserver)', () => {
  assert.equal(check({ id: 'not-a-uuid' }), 'spec.id: Invalid value: "not-a-uuid": spec.id in body must be of type uuid: "not-a-uuid"');
  assert.equal(check({ id: '123e4567-e89b-12d3-a456-426614174000' }), '');
  assert.equal(check({ when: '2024-02-30T10:00:00Z' }), 'spec.when: Invalid value: "2024-02-30T10:00:00Z": spec.when in body must be of type date-time: "2024-02-30T10:00:00Z"');
  assert.equal(check({ when: '2024-02-29T10:00:00.5+02:00' }), '');
  assert.equal(check({ bits: 2 ** 40 }), '');
});

test('null is refused unless the field is nullable', () => {
  assert.equal(check({ note: null }), '');
  assert.equal(check({ size: null }), 'spec.size: Invalid value: "null": spec.size in body must be of type integer: "null"');
});

test('list and map sizes are checked with kube wording, items by their schema', () => {
  assert.equal(check({ tags: [] }), 'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items');
  assert.equal(check({ tags: ['a', 'b', 'c'] }), 'spec.tags: Too many: 3: must have at most 2 items');
  assert.equal(check({ tags: ['a', 2] }), 'spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"');
  assert.equal(check({ labels: { a: 'x', b: 'y' } }), 'spec.labels: Too many: 2: must have at most 1 item');
  assert.equal(check({ labels: { a: 1 } }), 'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"');
});

test('a failed anyOf is reported on <nil> with the closest branch errors', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { v: { type: 'integer', anyOf: [{ minimum: 10 }, { maximum: 2 }] } } };
  assert.equal(
    formatFieldErrors(validateValue({ v: 5 }, s)),
    '[<nil>: Invalid value: "": "v" must validate at least one schema (anyOf), v: Invalid value: 5: v in body should be greater than or equal to 10]',
  );
  assert.equal(formatFieldErrors(validateValue({ v: 11 }, s)), '');
});

test('oneOf and not refuse values that match the wrong number of schemas', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { v: { type: 'integer', oneOf: [{ minimum: 1 }, { minimum: 2 }], not: { maximum: 0 } } } };
  assert.equal(formatFieldErrors(validateValue({ v: 5 }, s)), '<nil>: Invalid value: "": "v" must validate one and only one schema (oneOf). Found 2 valid alternatives');
  assert.match(formatFieldErrors(validateValue({ v: -1 }, s)), /"v" must not validate the schema \(not\)/);
});

test('required fields are reported after the property errors, as kube-openapi orders them', () => {
  assert.equal(
    formatFieldErrors(validateValue({ spec: { color: 'pink' } }, gadget)),
    '[spec.color: Unsupported value: "pink": supported values: "red", "blue", spec.image: Required value]',
  );
});

test('a formatted string field refuses numbers in the format words kube uses', () => {
  assert.equal(check({ when: 5 }), 'spec.when: Invalid value: "int64": spec.when in body must be of type date-time: "int64"');
});

test('null meets the enum check too, so a nullable enum must list null', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { c: { type: 'string', nullable: true, enum: ['a'] } } };
  assert.equal(formatFieldErrors(validateValue({ c: null }, s)), 'c: Unsupported value: "null": supported values: "a"');
});

test('a property outside additionalProperties: false is forbidden on its parent', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } } };
  assert.equal(formatFieldErrors(validateValue({ spec: { b: 1 } }, s)), 'spec: Invalid value: "b": spec.b in body is a forbidden property');
});
