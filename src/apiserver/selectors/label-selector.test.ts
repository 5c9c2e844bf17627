import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesLabels, parseLabelSelector, SelectorError } from './label-selector.ts';

const matches = (selector: string, labels: Record<string, string>) => matchesLabels(parseLabelSelector(selector), labels);

test('equality, inequality and set operators follow kube semantics for missing labels', () => {
  assert.equal(matches('app=web', { app: 'web' }), true);
  assert.equal(matches('app==web', { app: 'db' }), false);
  assert.equal(matches('app!=web', {}), true, '!= matches when the label is absent');
  assert.equal(matches('app in (web, db)', { app: 'db' }), true);
  assert.equal(matches('app notin (web)', {}), true, 'notin matches when the label is absent');
  assert.equal(matches('app in (web)', {}), false);
});

test('existence, non-existence and numeric comparisons', () => {
  assert.equal(matches('tier', { tier: '' }), true);
  assert.equal(matches('!tier', { tier: 'x' }), false);
  assert.equal(matches('replicas>2', { replicas: '3' }), true);
  assert.equal(matches('replicas<2', { replicas: '3' }), false);
});

test('requirements are anded, and the empty selector selects everything', () => {
  assert.equal(matches('app=web,tier!=db,!legacy', { app: 'web', tier: 'front' }), true);
  assert.equal(matches('app=web,!legacy', { app: 'web', legacy: 'y' }), false);
  assert.deepEqual(parseLabelSelector(''), []);
  assert.equal(matches('', {}), true);
});

test('prefixed keys and empty values parse', () => {
  assert.deepEqual(parseLabelSelector('example.com/app='), [{ key: 'example.com/app', operator: 'equals', values: [''] }]);
});

test('malformed selectors are refused with kube\'s wording', () => {
  for (const bad of ['app in web', 'app in (web', '=web', 'a b', 'app=web,', 'bad key=x', 'app=in(valid)', 'x>y']) {
    assert.throws(() => parseLabelSelector(bad), (err: unknown) => err instanceof SelectorError && err.message.startsWith('unable to parse requirement'), bad);
  }
});
