import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './api-error.ts';
import { negotiate } from './media-type.ts';

test('kubectl get asks for a Table first and gets one', () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiate(accept, { table: true }), { as: 'Table', version: 'v1' });
  assert.deepEqual(negotiate(accept, {}), { as: 'object', encoding: 'json' }, 'falls back to JSON where no Table is served');
});

test('protobuf first falls back to JSON; protobuf alone is 406', () => {
  assert.deepEqual(negotiate('application/vnd.kubernetes.protobuf, */*', {}), { as: 'object', encoding: 'json' });
  assert.throws(() => negotiate('application/vnd.kubernetes.protobuf', {}), (err: unknown) => err instanceof ApiError && err.httpStatus === 406);
});

test('aggregated discovery, metadata-only and YAML are recognised; q=0 is refused', () => {
  assert.deepEqual(negotiate('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', { discovery: true }), { as: 'APIGroupDiscoveryList', version: 'v2' });
  assert.deepEqual(negotiate('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', { partialMetadata: true }), { as: 'PartialObjectMetadata', version: 'v1' });
  assert.deepEqual(negotiate('application/yaml', {}), { as: 'object', encoding: 'yaml' });
  assert.deepEqual(negotiate('application/yaml;q=0.5, application/json', {}), { as: 'object', encoding: 'json' });
  assert.throws(() => negotiate('application/json;q=0', {}));
});
