/**
 * The schema hooks seam: what a schema-aware module plugged into the server gets to decide.
 * The hooks here are small stand-ins written for the test; the real ones live with the schema
 * support.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaHooks } from '../src/apiserver/index.ts';
import { KubeHttp } from './support/kube-http.ts';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
};

test('hooks admit, default, refuse and print objects, and see CRDs checked, prepared and forgotten', async () => {
  const calls: string[] = [];
  const hooks: SchemaHooks = {
    admit(request) {
      const spec = (request.object.spec ?? {}) as Record<string, unknown>;
      if (spec.bad === true) return { kind: 'invalid', errors: [{ type: 'FieldValueForbidden', field: 'spec.bad', detail: 'not here' }], warnings: [] };
      if (spec.unknown === true) return { kind: 'badRequest', message: 'strict decoding error: unknown field "spec.unknown"', warnings: [] };
      return { kind: 'allowed', object: { ...request.object, spec: { size: 1, ...spec } }, warnings: ['defaulted spec.size'] };
    },
    onRead: (_type, object) => ({ ...object, readDefault: true }),
    table: (type, objects) => type.kind === 'Gadget'
      ? { columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }, { name: 'Size', type: 'integer', format: '', description: '', priority: 0 }], cells: objects.map((o) => [String((o.metadata as { name: string }).name), (o.spec as { size: number }).size]) }
      : undefined,
    validateCrd: (obj) => {
      calls.push(`validate ${(obj.metadata as { name: string }).name}`);
      return Promise.resolve((obj.spec as { group: string }).group === 'bad.example.com' ? [{ type: 'FieldValueInvalid', field: 'spec.group', value: 'bad.example.com', detail: 'refused by hooks' }] : []);
    },
    prepareCrd: (obj) => {
      calls.push(`prepare ${(obj.metadata as { name: string }).name}`);
      return Promise.resolve();
    },
    forgetCrd: (name) => {
      calls.push(`forget ${name}`);
    },
  };
  const kube = await KubeHttp.start({ hooks });
  try {
    assert.equal((await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const refusedCrd = await kube.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { ...crd, metadata: { name: 'x.bad.example.com' }, spec: { ...crd.spec, group: 'bad.example.com', names: { plural: 'x', kind: 'X' } } });
    assert.equal(refusedCrd.status, 422);
    assert.match(refusedCrd.body.message, /spec\.group: Invalid value: "bad\.example\.com": refused by hooks/);

    const path = '/apis/example.com/v1/namespaces/default/gadgets';
    const created = await kube.post(path, { metadata: { name: 'g' }, spec: {} });
    assert.equal(created.status, 201);
    assert.equal(created.body.spec.size, 1, 'defaulted by admit');
    assert.equal(created.body.readDefault, true, 'defaulted on read');
    assert.equal(created.headers.get('warning'), '299 - "defaulted spec.size"');
    const bad = await kube.post(path, { metadata: { name: 'b' }, spec: { bad: true } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.message, 'Gadget.example.com "b" is invalid: spec.bad: Forbidden: not here');
    const unknown = await kube.post(path, { metadata: { name: 'u' }, spec: { unknown: true } });
    assert.equal(unknown.status, 400);
    const table = await kube.get(path, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(table.body.rows.map((r: { cells: unknown[] }) => r.cells), [['g', 1]]);

    await kube.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    await kube.server.settled();
    assert.deepEqual(calls, ['validate gadgets.example.com', 'prepare gadgets.example.com', 'validate x.bad.example.com', 'forget gadgets.example.com']);
  } finally {
    await kube.close();
  }
});
