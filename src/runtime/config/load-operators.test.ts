import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOperatorsYaml } from './load-operators.ts';

const web = `apiVersion: wasm-operator.dev/v1alpha1
kind: WasmOperator
metadata:
  name: web
spec:
  module:
    file: ./web.wasm
  watches:
    - apiVersion: example.com/v1
      kind: Website
  idlePolicy: after:30s
  memoryLimit: 32Mi
`;

test('every WasmOperator document is loaded, validated, and given the default namespace', () => {
  const text = `${web}---\n# nothing here\n---\n${web.replace('name: web', 'name: shop\n  namespace: store')}`;
  const loaded = parseOperatorsYaml(text, 'operators.yaml');
  assert.deepEqual(
    loaded.operators.map((o) => [o.document, o.line, o.operator.metadata.namespace, o.operator.metadata.name]),
    [
      [1, 1, 'default', 'web'],
      [3, 16, 'store', 'shop'],
    ],
  );
  assert.equal(loaded.operators[0]!.operator.spec.memoryLimit, '32Mi');
});

test('errors name the file, the line, the document, the operator and the field, all at once', () => {
  const bad = web.replace('idlePolicy: after:30s', 'idlePolicy: sometimes').replace('memoryLimit: 32Mi', 'memoryLimit: 32MB\n  idlepolicy: never');
  assert.throws(
    () => parseOperatorsYaml(`${web}---\n${bad}`, 'ops.yaml'),
    (err: Error & { code: string; problems: string[] }) => {
      assert.equal(err.code, 'INVALID_OPERATOR');
      assert.deepEqual(err.problems, [
        'ops.yaml:24: document 2 (WasmOperator "default/web"): spec.idlePolicy: Invalid value: "sometimes": must be one of "never", "immediate", "adaptive", "after:<duration>"',
        'ops.yaml:25: document 2 (WasmOperator "default/web"): spec.memoryLimit: Invalid value: "32MB": must be a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E) or exponent (for bytes write e.g. "64Mi" or "64M", without "B")',
        'ops.yaml:26: document 2 (WasmOperator "default/web"): spec.idlepolicy: Unknown field: did you mean "idlePolicy"?',
      ]);
      assert.match(err.message, /^ops\.yaml: 3 problems\n {2}ops\.yaml:24: /);
      return true;
    },
  );
});

test('a missing field is reported on the line of the object that lacks it', () => {
  const noModule = web.replace('  module:\n    file: ./web.wasm\n', '');
  assert.throws(() => parseOperatorsYaml(noModule, 'ops.yaml'), { message: 'ops.yaml:5: document 1 (WasmOperator "default/web"): spec.module: Required value' });
});

test('a YAML syntax error names its line and the document', () => {
  assert.throws(() => parseOperatorsYaml(`${web}---\nkind: [unclosed\n`, 'ops.yaml'), { message: /^ops\.yaml:14: document 2: YAML syntax: Flow sequence/ });
});

test('documents of other kinds are refused, or kept untouched when allowed', () => {
  const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: websites.example.com\n';
  assert.throws(() => parseOperatorsYaml(`${crd}---\n${web}`, 'ops.yaml'), {
    message: 'ops.yaml:1: document 1: is a CustomResourceDefinition (apiextensions.k8s.io/v1), not a WasmOperator (wasm-operator.dev/v1alpha1)',
  });
  const loaded = parseOperatorsYaml(`${crd}---\n${web}`, 'ops.yaml', { allowOtherKinds: true });
  assert.equal(loaded.others[0]!.object.kind, 'CustomResourceDefinition');
  assert.equal(loaded.operators.length, 1);
});

test('two operators with the same namespace and name are refused', () => {
  assert.throws(() => parseOperatorsYaml(`${web}---\n${web}`, 'ops.yaml'), /document 2 \(WasmOperator "default\/web"\): metadata\.name: Duplicate value: "web": already defined by document 1/);
});

test('a document that is not an object says what it is', () => {
  assert.throws(() => parseOperatorsYaml('- a\n- b\n', 'ops.yaml'), { message: 'ops.yaml:1: document 1: must be an object with apiVersion and kind, got a list' });
});

test('an empty file holds no operators', () => {
  assert.deepEqual(parseOperatorsYaml('', 'ops.yaml'), { operators: [], others: [] });
  assert.deepEqual(parseOperatorsYaml('# only comments\n---\n', 'ops.yaml'), { operators: [], others: [] });
});
