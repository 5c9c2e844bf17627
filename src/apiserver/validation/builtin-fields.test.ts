import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { pruneBuiltinUnknownFields } from './builtin-fields.ts';

test('a field a built-in kind does not have is dropped and reported, as typed decoding does', () => {
  const cm: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', bogus: 1 }, datas: { a: '1' }, data: { b: '2' } };
  assert.deepEqual(pruneBuiltinUnknownFields({ group: '', resource: 'configmaps' }, cm), ['datas', 'metadata.bogus']);
  assert.deepEqual(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2' } });
});

test('typos in a pod template container are found, deeper fields are kept as they are', () => {
  const d: JsonObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
    spec: { replica: 2, template: { spec: { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Always', livenessProbe: { httpGet: { path: '/', port: 80, future: true } }, commands: ['x'] }] } } },
  };
  assert.deepEqual(pruneBuiltinUnknownFields({ group: 'apps', resource: 'deployments' }, d), ['spec.replica', 'spec.template.spec.containers[0].commands']);
  assert.deepEqual(((d.spec as JsonObject).template as JsonObject).spec, { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Always', livenessProbe: { httpGet: { path: '/', port: 80, future: true } } }] });
});

test('kinds without a field table are left untouched', () => {
  const o: JsonObject = { apiVersion: 'x/v1', kind: 'X', anything: 1 };
  assert.deepEqual(pruneBuiltinUnknownFields({ group: 'x', resource: 'xs' }, o), []);
  assert.equal(o.anything, 1);
});
