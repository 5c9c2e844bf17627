import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from './field-error.ts';
import type { JsonObject } from './json.ts';
import { SchemaSupport, type SchemaTarget } from './schema-support.ts';

const version: JsonObject = {
  name: 'v1', served: true, storage: true,
  subresources: { status: {} },
  additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
  schema: {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { size: { type: 'integer', default: 1, maximum: 3 } }, 'x-kubernetes-validations': [{ rule: 'self.size != 2', message: 'two is not allowed' }] },
        status: { type: 'object', properties: { phase: { type: 'string' } } },
      },
    },
  },
};
const crd: JsonObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com', uid: 'u' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget' }, versions: [version] },
};
const gadgets: SchemaTarget = { group: 'example.com', version: 'v1', resource: 'gadgets', kind: 'Gadget', namespaced: true, statusSubresource: true, crd: { name: 'gadgets.example.com', uid: 'u', definition: crd, version } };
const gadget = (spec: JsonObject, extra: JsonObject = {}): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default' }, spec, ...extra });

test('a custom resource create is pruned, defaulted, stripped of status and validated', async () => {
  const support = new SchemaSupport();
  await support.prepareCrd(crd);
  const decision = support.admit({ type: gadgets, operation: 'create', subresource: undefined, object: gadget({ extra: 1 }, { status: { phase: 'x' } }), oldObject: undefined, fieldValidation: 'Warn' });
  assert.deepEqual(decision, { kind: 'allowed', object: gadget({ size: 1 }), warnings: ['unknown field "spec.extra"'] });
});

test('Strict unknown fields are a bad request; schema and CEL failures are invalid', async () => {
  const support = new SchemaSupport();
  await support.prepareCrd(crd);
  const write = (spec: JsonObject, fieldValidation: 'Strict' | 'Warn' = 'Strict') => support.admit({ type: gadgets, operation: 'create', subresource: undefined, object: gadget(spec), oldObject: undefined, fieldValidation });
  assert.deepEqual(write({ extra: 1 }), { kind: 'badRequest', message: 'Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec.extra"', warnings: [] });
  const tooBig = write({ size: 5 });
  assert.equal(tooBig.kind === 'invalid' && formatFieldErrors(tooBig.errors), 'spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3');
  const two = write({ size: 2 });
  assert.equal(two.kind === 'invalid' && formatFieldErrors(two.errors), 'spec: Invalid value: "object": two is not allowed');
});

test('a version with rules refuses writes until prepareCrd compiled it', () => {
  const decision = new SchemaSupport().admit({ type: gadgets, operation: 'create', subresource: undefined, object: gadget({}), oldObject: undefined, fieldValidation: 'Warn' });
  assert.equal(decision.kind, 'invalid');
});

test('built-ins are validated by their own rules', () => {
  const support = new SchemaSupport();
  const pods: SchemaTarget = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, statusSubresource: true };
  const decision = support.admit({ type: pods, operation: 'create', subresource: undefined, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'a' }] } }, oldObject: undefined, fieldValidation: 'Strict' });
  assert.equal(decision.kind === 'invalid' && formatFieldErrors(decision.errors), 'spec.containers[0].image: Required value');
});

test('reads apply current defaults and tables use the printer columns', async () => {
  const support = new SchemaSupport();
  assert.deepEqual(support.onRead(gadgets, gadget({})), gadget({ size: 1 }));
  const rows = support.table(gadgets, [gadget({ size: 3 })], new Date());
  assert.deepEqual(rows.columnDefinitions.map((c) => c.name), ['Name', 'Size']);
  assert.deepEqual(rows.cells, [['g', 3]]);
  assert.deepEqual(await support.validateCrd(crd), []);
});

test('a built-in create keeps the status its create strategy set; its updates keep the stored status', () => {
  const support = new SchemaSupport();
  const pods: SchemaTarget = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, statusSubresource: true };
  const pod = (phase: string): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase } });
  const created = support.admit({ type: pods, operation: 'create', subresource: undefined, object: pod('Pending'), oldObject: undefined, fieldValidation: 'Strict' });
  assert.equal(created.kind === 'allowed' && (created.object.status as JsonObject).phase, 'Pending');
  assert.ok(created.kind === 'allowed');
  const running = { ...created.object, status: { phase: 'Running' } };
  const updated = support.admit({ type: pods, operation: 'update', subresource: undefined, object: { ...created.object, status: { phase: 'Hacked' } }, oldObject: running, fieldValidation: 'Strict' });
  assert.equal(updated.kind === 'allowed' && (updated.object.status as JsonObject).phase, 'Running');
});
