import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOperatorsYaml } from '../../../src/runtime/config/index.ts';
import { ringOperatorsYaml } from './ring-operators-yaml.ts';

test('the generated operators.yaml is valid against the WasmOperator schema, one operator per ring member', () => {
  const text = ringOperatorsYaml({ operators: 3, moduleFile: 'ring-as.wasm', idlePolicy: 'immediate' });
  const { operators } = parseOperatorsYaml(text, 'operators.yaml');
  assert.deepEqual(operators.map((o) => o.operator.metadata.name), ['ring-0', 'ring-1', 'ring-2']);
  for (const { operator } of operators) {
    assert.deepEqual(operator.spec.module, { file: 'ring-as.wasm' });
    assert.equal(operator.spec.idlePolicy, 'immediate');
  }
});

test('operator i watches ring-i, writes only into ring-(i+1), and knows the ring has a place for the driver', () => {
  const { operators } = parseOperatorsYaml(ringOperatorsYaml({ operators: 2, moduleFile: 'm.wasm', idlePolicy: 'never' }), 'operators.yaml');
  const last = operators[1]!.operator.spec;
  assert.deepEqual(last.watches, [{ apiVersion: 'ring.wasm-operator.dev/v1', kind: 'TestResource', namespace: 'ring-1' }]);
  assert.deepEqual(last.config, { index: 1, size: 3 });
  assert.deepEqual(last.permissions?.map((p) => [p.verbs, p.namespaces]), [[['get', 'list', 'watch'], ['ring-1']], [['get', 'create', 'patch'], ['ring-2']]]);
});
