import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from '../field-error.ts';
import type { JsonObject } from '../json.ts';
import { compileCelRules } from './cel-rules.ts';
import { decodeCustomResource, defaultOnRead, validateCustomResource, type CustomResourceVersion } from './custom-resource.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', default: 1, maximum: 3 },
        mode: { type: 'string', nullable: false },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        containers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } } },
        ports: {
          type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, number: { type: 'integer' } } },
        },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

const version: CustomResourceVersion = { apiVersion: 'example.com/v1', kind: 'Gadget', namespaced: true, schema };

function gadget(spec: JsonObject, extra: JsonObject = {}): JsonObject {
  return { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: 'default' }, spec, ...extra };
}

test('unknown fields are pruned and reported with their full paths, sorted', () => {
  const obj = gadget({ size: 2, foo: 1, containers: [{ name: 'a', bar: true }] }, { top: 1 });
  (obj.metadata as JsonObject).bogus = 'x';
  assert.deepEqual(decodeCustomResource(obj, schema), ['metadata.bogus', 'spec.containers[0].bar', 'spec.foo', 'top']);
  assert.deepEqual(obj.spec, { size: 2, containers: [{ name: 'a', port: 80 }] });
  assert.deepEqual(obj.metadata, { name: 'g1', namespace: 'default' });
});

test('preserve-unknown-fields keeps unknown fields but still prunes the known ones by their schema', () => {
  const obj = gadget({ extra: { anything: { deep: 1 }, known: { a: 'x', b: 'y' } } });
  assert.deepEqual(decodeCustomResource(obj, schema), ['spec.extra.known.b']);
  assert.deepEqual(obj.spec, { size: 1, extra: { anything: { deep: 1 }, known: { a: 'x' } } });
});

test('an embedded resource keeps apiVersion, kind and ObjectMeta fields of its metadata', () => {
  const obj = gadget({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: { any: 1 } } });
  assert.deepEqual(decodeCustomResource(obj, schema), ['spec.template.metadata.junk']);
  assert.deepEqual((obj.spec as JsonObject).template, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { any: 1 } });
});

test('defaults fill missing fields and non-nullable nulls, and nulls without default are dropped', () => {
  const obj = gadget({ size: null, mode: null });
  decodeCustomResource(obj, schema);
  assert.deepEqual(obj.spec, { size: 1 });
});

test('defaults apply to nested objects only when the parent exists', () => {
  const obj: JsonObject = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } };
  decodeCustomResource(obj, schema);
  assert.equal(obj.spec, undefined);
});

test('a default added to the schema later shows on read of a stored object, without changing it', () => {
  const stored = gadget({ containers: [{ name: 'a' }] });
  const read = defaultOnRead(stored, schema);
  assert.deepEqual((read.spec as JsonObject).containers, [{ name: 'a', port: 80 }]);
  assert.deepEqual((stored.spec as JsonObject).containers, [{ name: 'a' }]);
});

test('a valid custom resource has no errors; an invalid one gets the schema errors', () => {
  assert.deepEqual(validateCustomResource(gadget({ size: 2 }), undefined, version), []);
  assert.equal(
    formatFieldErrors(validateCustomResource(gadget({ size: 5 }), undefined, version)),
    'spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3',
  );
});

test('a custom resource name must be a DNS subdomain and kind/apiVersion must match the CRD', () => {
  const bad = gadget({});
  (bad.metadata as JsonObject).name = 'Bad_Name';
  assert.match(formatFieldErrors(validateCustomResource(bad, undefined, version)), /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
  assert.equal(formatFieldErrors(validateCustomResource({ ...gadget({}), kind: 'Other' }, undefined, version)), 'kind: Invalid value: "Other": must be Gadget');
});

test('an update without resourceVersion is refused as kube-apiserver refuses it for custom resources', () => {
  const old = gadget({}, { metadata: { name: 'g1', namespace: 'default', resourceVersion: '5', uid: 'u1' } });
  const next = gadget({}, { metadata: { name: 'g1', namespace: 'default', uid: 'u1' } });
  assert.equal(formatFieldErrors(validateCustomResource(next, old, version)), 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
});

test('duplicate keys in a list-type map are Duplicate values', () => {
  const obj = gadget({ ports: [{ name: 'http', number: 80 }, { name: 'http', number: 81 }] });
  assert.equal(formatFieldErrors(validateCustomResource(obj, undefined, version)), 'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}');
});

test('an embedded resource without apiVersion and kind is refused', () => {
  const obj = gadget({ template: { metadata: { name: 'p' } } });
  assert.equal(formatFieldErrors(validateCustomResource(obj, undefined, version)), '[spec.template.apiVersion: Required value: must not be empty, spec.template.kind: Required value: must not be empty]');
});

test('CEL rules are skipped with kube notice when the object has type errors', async () => {
  const withRule: JSONSchemaProps = structuredClone(schema);
  withRule.properties!.spec!['x-kubernetes-validations'] = [{ rule: 'self.size <= 2', message: 'size too big' }];
  const { validator } = await compileCelRules(withRule, 'schema');
  const v = { ...version, schema: withRule, cel: validator };
  assert.equal(formatFieldErrors(validateCustomResource(gadget({ size: 3 }), undefined, v)), 'spec: Invalid value: "object": size too big');
  assert.equal(
    formatFieldErrors(validateCustomResource(gadget({ size: 'x' }), undefined, v)),
    '[spec.size: Invalid value: "string": spec.size in body must be of type integer: "string", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
  );
});

test('a schema may restrict metadata.name, and those restrictions apply', () => {
  const restricted: CustomResourceVersion = { ...version, schema: { ...schema, properties: { ...schema.properties, metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } } } } };
  const obj = gadget({});
  (obj.metadata as JsonObject).name = 'too-long-name';
  assert.equal(formatFieldErrors(validateCustomResource(obj, undefined, restricted)), 'metadata.name: Too long: may not be more than 5 bytes');
});
