import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mismatch, normaliseText, parseScenario, ScenarioFormatError } from './support/scenario.ts';

test('a pattern matches objects by their expected keys and lists element by element', () => {
  assert.equal(mismatch({ kind: 'Status', code: 422 }, { kind: 'Status', code: 422, apiVersion: 'v1' }), undefined);
  assert.equal(mismatch({ items: [1, 2] }, { items: [1] }), '$.items: expected 2 items, got 1: [1]');
  assert.equal(mismatch({ code: 422 }, { code: 400 }), '$.code: expected 422, got 400');
  assert.equal(mismatch({ '<exact>': true, size: 1 }, { size: 1, foo: 1 }), '$: unexpected "foo"');
});

test('placeholders stand for what legitimately differs between clusters', () => {
  assert.equal(mismatch({ metadata: { uid: '<uid>', resourceVersion: '<rv>', creationTimestamp: '<timestamp>' } }, {
    metadata: { uid: '6f1c1b0e-4f1a-4c8e-9a3b-0d2b7c1e5f00', resourceVersion: '1234', creationTimestamp: '2024-05-10T11:55:00Z' },
  }), undefined);
  assert.match(mismatch('<rv>', 'abc') ?? '', /expected <rv>/);
});

test('kubectl output is normalised: ages, times, uids, addresses and spacing', () => {
  assert.equal(normaliseText('NAME   SIZE   AGE  \ng1     3      5m20s\n'), 'NAME SIZE AGE\ng1 3 <age>');
  assert.equal(normaliseText('web   ClusterIP   10.96.0.12   <none>'), 'web ClusterIP <ip> <none>');
  assert.equal(normaliseText('created 2024-05-10T11:55:00Z'), 'created <timestamp>');
});

test('a malformed scenario is refused with the file and the problem', () => {
  assert.throws(() => parseScenario('x.yaml', 'name: n\nsource: s\nsteps:\n  - expect: {}\n'), new ScenarioFormatError('x.yaml', 'steps[0]: either http or kubectl'));
  assert.throws(() => parseScenario('x.yaml', 'steps: []\n'), /name: a sentence/);
});
