import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApiServer } from '../index.ts';
import { ProtoReader } from '../protobuf/proto-reader.ts';
import { toOpenApiV2Schema } from './openapi-v2.ts';

test('/openapi/v2 answers JSON, gnostic protobuf or 406 as the Accept header asks, and 304 for a known ETag', async () => {
  const server = await startApiServer({ port: 0 });
  try {
    const get = (accept: string, etag?: string) => fetch(`${server.url}/openapi/v2`, { headers: { Accept: accept, ...(etag === undefined ? {} : { 'If-None-Match': etag }) } });
    const json = await get('application/json');
    assert.equal(json.headers.get('content-type'), 'application/json');
    const doc = await json.json() as { swagger: string; paths: Record<string, { patch?: { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown } }> };
    assert.equal(doc.swagger, '2.0');
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']!.patch!;
    assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });

    const proto = await get('application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    assert.equal(proto.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const reader = new ProtoReader(new Uint8Array(await proto.arrayBuffer()));
    const first = reader.tag();
    assert.deepEqual([first.field, new TextDecoder().decode(reader.bytes())], [1, '2.0']);

    assert.equal((await get('text/html')).status, 406);
    assert.equal((await get('*/*')).headers.get('content-type'), 'application/json');
    assert.equal((await get('application/json', json.headers.get('etag')!)).status, 304);
  } finally {
    await server.close();
  }
});

test('a CRD schema loses in v2 what kubectl would misread: combinators, nullable types, fields under preserve-unknown-fields', () => {
  const v2 = toOpenApiV2Schema({
    type: 'object',
    properties: {
      note: { type: 'string', nullable: true },
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
    },
  });
  assert.deepEqual(v2, { type: 'object', properties: { note: {}, port: { 'x-kubernetes-int-or-string': true }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
});
