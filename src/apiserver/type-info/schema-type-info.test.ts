import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverSideApply } from '../apply/index.ts';
import type { JsonObject } from '../json.ts';
import { builtinTypeInfo, memberType, schemaTypeInfo } from './index.ts';

// A CRD schema using every list and map type an apply distinguishes.
const gadgetSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } } },
        },
        args: { type: 'array', items: { type: 'string' } },
        selector: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};
const typeInfo = schemaTypeInfo(gadgetSchema);
const gadget = (spec: JsonObject): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1', finalizers: ['x'] }, spec });

test('a CRD schema gives sets, list-maps, atomic lists and maps, and an ObjectMeta for metadata', () => {
  const spec = memberType(typeInfo.root, 'spec').type;
  assert.deepEqual(memberType(spec, 'tags').type.kind === 'list' && memberType(spec, 'tags').type, { kind: 'list', items: { kind: 'scalar' }, listType: 'set' });
  assert.equal((memberType(spec, 'args').type as { listType: string }).listType, 'atomic');
  assert.equal((memberType(spec, 'selector').type as { atomic: boolean }).atomic, true);
  const finalizers = memberType(memberType(typeInfo.root, 'metadata').type, 'finalizers').type;
  assert.equal((finalizers as { listType: string }).listType, 'set');
});

test('an apply to a custom resource records its fields by the schema\'s list and map types', () => {
  const result = serverSideApply(undefined, gadget({ tags: ['a'], ports: [{ port: 80, name: 'http' }], args: ['-v'], selector: { app: 'x' }, extra: { any: { thing: 1 } } }),
    { fieldManager: 'ctl', force: false, now: '2026-01-01T00:00:00Z', typeInfo });
  assert.equal(result.kind, 'applied');
  const entry = ((result as { object: JsonObject }).object.metadata as { managedFields: JsonObject[] }).managedFields[0]!;
  assert.deepEqual(entry.fieldsV1, {
    'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
    'f:spec': {
      'f:args': {},
      'f:extra': { 'f:any': { '.': {}, 'f:thing': {} } },
      'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
      'f:selector': {},
      'f:tags': { 'v:"a"': {} },
    },
  });
});

test('the built-in tables cover exactly the kinds the server serves', () => {
  for (const [group, kind] of [['', 'Namespace'], ['', 'ConfigMap'], ['', 'Secret'], ['', 'ServiceAccount'], ['', 'Event'], ['', 'Pod'], ['', 'Service'],
    ['apps', 'Deployment'], ['coordination.k8s.io', 'Lease'], ['apiextensions.k8s.io', 'CustomResourceDefinition']] as const) {
    assert.ok(builtinTypeInfo({ group, version: 'v1', kind }), `${group}/${kind}`);
  }
  assert.equal(builtinTypeInfo({ group: 'example.com', version: 'v1', kind: 'Gadget' }), undefined);
  assert.equal(builtinTypeInfo({ group: '', version: 'v1', kind: 'toString' }), undefined);
});
