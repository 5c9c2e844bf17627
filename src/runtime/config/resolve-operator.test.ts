import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModuleManifest, parseWasmOperator, resolveOperator } from './resolve-operator.ts';
import type { ModuleManifest, WasmOperator } from './wasm-operator-schema.ts';

const operator = (spec: Partial<WasmOperator['spec']> = {}): WasmOperator => ({
  apiVersion: 'wasm-operator.dev/v1alpha1',
  kind: 'WasmOperator',
  metadata: { name: 'web', namespace: 'team-a' },
  spec: { module: { file: 'web.wasm' }, ...spec },
});

const website = { apiVersion: 'example.com/v1', kind: 'Website' };
const manifest: ModuleManifest = {
  watches: [{ ...website, labelSelector: { matchLabels: { managed: 'yes' } } }],
  owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
  permissions: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  config: { replicas: 1, image: { tag: 'v1' } },
  env: { LOG: 'info', MODE: 'a' },
  idlePolicy: 'never',
  reconcileTimeout: '30s',
};

test('with only a manifest, the operator runs what the module declares, with built-in defaults for the rest', () => {
  const settings = resolveOperator(operator(), manifest);
  assert.deepEqual(settings.watches, manifest.watches);
  assert.deepEqual(settings.owns, manifest.owns);
  assert.deepEqual(settings.permissions, manifest.permissions);
  assert.deepEqual(settings.config, manifest.config);
  assert.deepEqual(settings.idlePolicy, { kind: 'never' });
  assert.equal(settings.reconcileTimeoutMs, 30_000);
  assert.equal(settings.memoryLimitBytes, 64 * 2 ** 20);
  assert.equal(settings.resyncPeriodMs, undefined);
  assert.equal(settings.namespace, 'team-a');
});

test('the spec wins field by field: lists replace the manifest\'s, config merges as a patch, env by name', () => {
  const settings = resolveOperator(
    operator({
      watches: [{ ...website, namespace: 'team-a' }],
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
  assert.deepEqual(settings.watches, [{ ...website, namespace: 'team-a' }]);
  assert.deepEqual(settings.permissions, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  assert.deepEqual(settings.owns, []);
  assert.deepEqual(settings.config, { image: { tag: 'v2' } });
  assert.deepEqual(settings.env, { LOG: 'info', MODE: 'b' });
  assert.deepEqual(settings.idlePolicy, { kind: 'after', idleMs: 60_000 });
  assert.equal(settings.memoryLimitBytes, 1_048_576);
  assert.equal(settings.reconcileTimeoutMs, 30_000);
  assert.equal(settings.resyncPeriodMs, 600_000);
});

test('an operator with no kind to watch, in spec or manifest, is refused by name', () => {
  assert.throws(() => resolveOperator(operator()), {
    code: 'INVALID_OPERATOR',
    message: 'WasmOperator "team-a/web": spec.watches: Required value: neither the spec nor the module\'s manifest names a kind to watch',
  });
});

test('triggers take the label or annotation they name, and may only target a watched kind', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret' };
  const settings = resolveOperator(operator({ triggers: [{ ...secret, keyFrom: { annotation: 'site' }, target: website }] }), manifest);
  assert.deepEqual(settings.triggers, [{ ...secret, keyFrom: { annotation: 'site' }, target: website }]);
  assert.throws(() => resolveOperator(operator({ triggers: [{ ...secret, keyFrom: { label: 'x' }, target: { apiVersion: 'v1', kind: 'Service' } }] }), manifest), {
    message: 'WasmOperator "team-a/web": spec.triggers[0].target: Invalid value: "Service (v1)": not one of the watched kinds',
  });
});

test('a module manifest is validated, and its errors name the module', () => {
  assert.deepEqual(parseModuleManifest(JSON.stringify(manifest), 'web.wasm'), manifest);
  assert.throws(() => parseModuleManifest('{"watches": [{"kind": "X"}], "owns": 3, "module": {}}', 'web.wasm section wasm-operator.manifest'), {
    problems: [
      'web.wasm section wasm-operator.manifest: manifest watches[0].apiVersion: Required value',
      'web.wasm section wasm-operator.manifest: manifest owns: Invalid value: 3: must be an array',
      'web.wasm section wasm-operator.manifest: manifest module: Unknown field',
    ],
  });
  assert.throws(() => parseModuleManifest('{', 'web.wasm'), /web\.wasm: manifest is not valid JSON/);
});

test('the identity to act as comes from the spec only: a module cannot choose its ServiceAccount', () => {
  assert.equal(resolveOperator(operator({ serviceAccountName: 'web-operator' }), manifest).serviceAccountName, 'web-operator');
  assert.equal(resolveOperator(operator(), manifest).serviceAccountName, undefined);
  assert.throws(() => parseModuleManifest(JSON.stringify({ ...manifest, serviceAccountName: 'cluster-admin' }), 'm.wasm'), /serviceAccountName: Unknown field/);
});

test('a WasmOperator read from the API server is validated without its status, every problem named', () => {
  const object = { ...operator(), metadata: { name: 'web', namespace: 'team-a', uid: 'u', generation: 2 }, status: { someFutureField: 1 } };
  assert.equal(parseWasmOperator(object, 'WasmOperator "team-a/web"').metadata.name, 'web');
  assert.throws(
    () => parseWasmOperator({ ...object, spec: { module: { file: 'x.wasm' }, idlePolicy: 'sometimes', memoryLimit: '1Ki' } }, 'WasmOperator "team-a/web"'),
    (err: Error & { problems: string[] }) => err.problems.length === 2 && err.problems.every((p) => p.startsWith('WasmOperator "team-a/web": spec.')),
  );
});
