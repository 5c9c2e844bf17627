import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModuleManifest, resolveOperator } from './resolve-operator.ts';
import type { ModuleManifest, WasmOperator } from './wasm-operator-schema.ts';

const operator = (spec: Partial<WasmOperator['spec']> = {}): WasmOperator => ({
  apiVersion: 'wasm-operator.dev/v1alpha1',
  kind: 'WasmOperator',
  metadata: { name: 'web', namespace: 'team-a' },
  spec: { module: { file: 'web.wasm' }, ...spec },
});

const manifest: ModuleManifest = {
  watches: { apiVersion: 'example.com/v1', kind: 'Website', labelSelector: { matchLabels: { managed: 'yes' } } },
  owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
  permissions: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  defaults: { config: { replicas: 1, image: { tag: 'v1' } }, env: { LOG: 'info', MODE: 'a' }, idlePolicy: 'never', reconcileTimeout: '30s' },
};

test('with only a manifest, the operator runs what the module declares, with built-in defaults for the rest', () => {
  const settings = resolveOperator(operator(), manifest);
  assert.deepEqual(settings.watches, manifest.watches);
  assert.deepEqual(settings.owns, manifest.owns);
  assert.deepEqual(settings.permissions, manifest.permissions);
  assert.deepEqual(settings.idlePolicy, { kind: 'never' });
  assert.equal(settings.reconcileTimeoutMs, 30_000);
  assert.equal(settings.memoryLimitBytes, 64 * 2 ** 20);
  assert.equal(settings.resyncPeriodMs, undefined);
  assert.equal(settings.namespace, 'team-a');
});

test('the spec wins: lists replace the manifest\'s, config merges as a patch, env by name', () => {
  const settings = resolveOperator(
    operator({
      permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      owns: [],
      config: { image: { tag: 'v2' }, replicas: null },
      env: { MODE: 'b' },
      idlePolicy: 'after:1m',
      memoryLimit: 1_048_576,
      resyncPeriod: '10m',
    }),
    manifest,
  );
  assert.deepEqual(settings.permissions, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  assert.deepEqual(settings.owns, []);
  assert.deepEqual(settings.config, { image: { tag: 'v2' } });
  assert.deepEqual(settings.env, { LOG: 'info', MODE: 'b' });
  assert.deepEqual(settings.idlePolicy, { kind: 'after', idleMs: 60_000 });
  assert.equal(settings.memoryLimitBytes, 1_048_576);
  assert.equal(settings.resyncPeriodMs, 600_000);
});

test('watches in the spec narrow the manifest\'s field by field', () => {
  const settings = resolveOperator(operator({ watches: { namespace: 'team-a' } }), manifest);
  assert.deepEqual(settings.watches, { ...manifest.watches, namespace: 'team-a' });
});

test('watches naming another kind replace the manifest\'s entirely', () => {
  const settings = resolveOperator(operator({ watches: { apiVersion: 'example.com/v2', kind: 'Website' } }), manifest);
  assert.deepEqual(settings.watches, { apiVersion: 'example.com/v2', kind: 'Website' });
});

test('an operator with no kind to watch, in spec or manifest, is refused by name', () => {
  assert.throws(() => resolveOperator(operator()), {
    code: 'INVALID_OPERATOR',
    message: 'WasmOperator "team-a/web": spec.watches.kind: Required value: neither the spec nor the module\'s manifest names the kind to watch',
  });
  assert.throws(() => resolveOperator(operator({ watches: { kind: 'Other' } }), manifest), /spec\.watches\.kind: Required value/);
});

test('triggers take the label or the annotation they name', () => {
  const settings = resolveOperator(
    operator({ watches: { apiVersion: 'v1', kind: 'Service' }, triggers: [{ apiVersion: 'v1', kind: 'Secret', keyFrom: { annotation: 'svc' } }] }),
  );
  assert.deepEqual(settings.triggers, [{ apiVersion: 'v1', kind: 'Secret', keyFrom: { annotation: 'svc' } }]);
});

test('a module manifest is validated, and its errors name the module', () => {
  assert.deepEqual(parseModuleManifest(JSON.stringify(manifest), 'web.wasm'), manifest);
  assert.throws(() => parseModuleManifest('{"watches": {"kind": "X"}, "owns": 3}', 'web.wasm custom section'), {
    problems: [
      'web.wasm custom section: manifest watches.apiVersion: Required value',
      'web.wasm custom section: manifest owns: Invalid value: 3: must be an array',
    ],
  });
  assert.throws(() => parseModuleManifest('{', 'web.wasm'), /web\.wasm: manifest is not valid JSON/);
});
