import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from '../field-error.ts';
import type { JsonObject } from '../json.ts';
import { compileCelRules, hasCelRules } from './cel-rules.ts';
import type { JSONSchemaProps, ValidationRule } from './json-schema-props.ts';

function schemaWith(rules: ValidationRule[], specRules: ValidationRule[] = []): JSONSchemaProps {
  return {
    type: 'object',
    'x-kubernetes-validations': rules,
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': specRules,
        properties: {
          replicas: { type: 'integer' },
          min: { type: 'integer' },
          name: { type: 'string' },
          ratio: { type: 'number' },
          tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 3', message: 'tag too long' }] } },
          labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != ''" }] } },
        },
      },
    },
  };
}

async function run(rules: ValidationRule[], obj: JsonObject, old?: JsonObject, specRules: ValidationRule[] = []): Promise<string> {
  const { validator, errors } = await compileCelRules(schemaWith(rules, specRules), 'spec.versions[0].schema.openAPIV3Schema');
  assert.deepEqual(errors, []);
  return formatFieldErrors(validator!.validate(obj, old));
}

const cr = (spec: JsonObject): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default', uid: 'x' }, spec });

test('a failed rule with a message is reported on its node with the node type', async () => {
  assert.equal(await run([], cr({ replicas: 5, min: 6 }), undefined, [{ rule: 'self.replicas >= self.min', message: 'replicas must be at least min' }]), 'spec: Invalid value: "object": replicas must be at least min');
});

test('a failed rule without a message says failed rule: <rule>', async () => {
  assert.equal(await run([{ rule: 'self.spec.replicas < 3' }], cr({ replicas: 5 })), '<nil>: Invalid value: "object": failed rule: self.spec.replicas < 3');
});

test('messageExpression, reason and fieldPath shape the error', async () => {
  const rule: ValidationRule = { rule: 'self.replicas < 3', messageExpression: "'replicas is ' + string(self.replicas)", reason: 'FieldValueForbidden', fieldPath: '.replicas' };
  assert.equal(await run([], cr({ replicas: 5 }), undefined, [rule]), 'spec.replicas: Forbidden: replicas is 5');
});

test('a transition rule runs only on update, against the old value', async () => {
  const rule: ValidationRule = { rule: 'self.replicas >= oldSelf.replicas', message: 'replicas may not decrease' };
  assert.equal(await run([], cr({ replicas: 1 }), undefined, [rule]), '');
  assert.equal(await run([], cr({ replicas: 1 }), cr({ replicas: 2 }), [rule]), 'spec: Invalid value: "object": replicas may not decrease');
  assert.equal(await run([], cr({ replicas: 3 }), cr({ replicas: 2 }), [rule]), '');
});

test('rules on list items and map values report the element path', async () => {
  assert.equal(await run([], cr({ tags: ['ok', 'toolong'] })), 'spec.tags[1]: Invalid value: "string": tag too long');
  assert.equal(await run([], cr({ labels: { a: '' } })), 'spec.labels[a]: Invalid value: "string": failed rule: self != \'\'');
});

test('kube CEL extensions work: strings, lists, regex, has() and quantities', async () => {
  const rules: ValidationRule[] = [
    { rule: "self.name.startsWith('web') && self.name.upperAscii() == 'WEB-1'" },
    { rule: '[3, 1, 2].sum() == 6 && [1, 2, 3].isSorted() && [4, 2].min() == 2' },
    { rule: "self.name.find('[0-9]+') == '1'" },
    { rule: '!has(self.replicas) || self.replicas > 0' },
    { rule: "quantity('1Gi').isGreaterThan(quantity('500Mi'))" },
    { rule: "sets.contains(['a', 'b'], ['a'])" },
  ];
  assert.equal(await run([], cr({ name: 'web-1' }), undefined, rules), '');
});

test('integers and doubles keep their CEL types', async () => {
  assert.equal(await run([], cr({ replicas: 2, ratio: 2 }), undefined, [{ rule: 'self.replicas + 1 == 3 && self.ratio * 1.5 == 3.0' }]), '');
});

test('a runtime error is reported with cel-go wording and the rule', async () => {
  assert.equal(await run([], cr({ replicas: 2, min: 0 }), undefined, [{ rule: 'self.replicas / self.min > 1' }]), 'spec: Invalid value: "object": division by zero evaluating rule: self.replicas / self.min > 1');
});

test('a syntax error fails compilation on the rule path with the rule in Go syntax', async () => {
  const { errors } = await compileCelRules(schemaWith([{ rule: 'self.spec.replicas > ' }]), 'spec.versions[0].schema.openAPIV3Schema');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.field, 'spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule');
  assert.match(formatFieldErrors(errors), /Invalid value: apiextensions\.ValidationRule\{Rule:"self\.spec\.replicas > ", Message:"", .*\}: compilation failed: ERROR: <input>:1:\d+: Syntax error: /);
});

test('a reference to a field the schema does not declare fails compilation like cel-go', async () => {
  const { errors } = await compileCelRules(schemaWith([], [{ rule: 'self.nope > 1' }]), 's');
  assert.equal(errors[0]!.field, 's.properties[spec].x-kubernetes-validations[0].rule');
  assert.equal(errors[0]!.detail, "compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^");
});

test('a rule that cannot evaluate to a bool fails compilation', async () => {
  const { errors } = await compileCelRules(schemaWith([], [{ rule: 'self.replicas + 1' }]), 's');
  assert.equal(errors[0]!.detail, 'compilation failed: cel expression must evaluate to a bool');
});

test('schemas without rules never load the CEL library', async () => {
  const plain: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object' } } };
  assert.equal(hasCelRules(plain), false);
  assert.deepEqual(await compileCelRules(plain, 's'), { validator: undefined, errors: [] });
});

test('at the root, rules see apiVersion, kind and only the name and generateName of metadata', async () => {
  assert.equal(await run([{ rule: "self.metadata.name.startsWith('g') && self.kind == 'Gadget'" }], cr({})), '');
  const { errors } = await compileCelRules(schemaWith([{ rule: '!has(self.metadata.uid)' }]), 's');
  assert.equal(errors[0]!.detail, "compilation failed: ERROR: <input>:1:19: undefined field 'uid'\n | !has(self.metadata.uid)\n | ..................^");
});

test('date-time and duration strings are timestamps and durations in rules, as in kube', async () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [{ rule: "self.expires > timestamp('2024-01-01T00:00:00Z') && self.every >= duration('1m')", message: 'too early or too often' }],
        properties: { expires: { type: 'string', format: 'date-time' }, every: { type: 'string', format: 'duration' } },
      },
    },
  };
  const { validator } = await compileCelRules(schema, 's');
  assert.equal(formatFieldErrors(validator!.validate(cr({ expires: '2025-06-01T00:00:00Z', every: '1h30m' }))), '');
  assert.equal(formatFieldErrors(validator!.validate(cr({ expires: '2023-06-01T00:00:00Z', every: '1h' }))), 'spec: Invalid value: "object": too early or too often');
});

test('quantities compare through their methods; < on quantities fails as it does in kube', async () => {
  assert.equal(await run([], cr({}), undefined, [{ rule: "quantity('1Gi').isGreaterThan(quantity('500Mi')) && quantity('1').compareTo(quantity('1000m')) == 0" }]), '');
  assert.match(await run([], cr({}), undefined, [{ rule: "quantity('1Gi') < quantity('2Gi')" }]), /no matching overload/);
});
