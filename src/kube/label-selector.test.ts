import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelSelectorError } from './errors.ts';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels, parseLabelSelector } from './label-selector.ts';

const matches = (selector: string, labels?: Record<string, string>) => matchesLabels(parseLabelSelector(selector), labels);

test('equality, inequality and set terms match as kubectl -l does', () => {
  const web = { app: 'web', tier: 'frontend', env: 'prod' };
  assert.equal(matches('app=web', web), true);
  assert.equal(matches('app==web,tier=frontend', web), true);
  assert.equal(matches('app=web,tier=backend', web), false);
  assert.equal(matches('app!=db', web), true);
  assert.equal(matches('env in (prod, staging)', web), true);
  assert.equal(matches('env notin (prod)', web), false);
});

test('!= and notin hold for an object without the label; = and in do not', () => {
  assert.equal(matches('tier!=db', {}), true);
  assert.equal(matches('tier notin (db)', undefined), true);
  assert.equal(matches('tier=db', {}), false);
  assert.equal(matches('tier in (db)', {}), false);
});

test('existence, absence and integer comparisons', () => {
  assert.equal(matches('app,!legacy', { app: 'x' }), true);
  assert.equal(matches('!legacy', { legacy: '' }), false);
  assert.equal(matches('replicas>2', { replicas: '3' }), true);
  assert.equal(matches('replicas<2', { replicas: 'three' }), false);
});

test('an empty selector matches everything', () => {
  assert.deepEqual(parseLabelSelector(' '), []);
  assert.equal(matches('', undefined), true);
});

test('selectors that mean the same thing format the same way', () => {
  const a = formatLabelSelector(parseLabelSelector('tier in (b,a), app=web ,!old'));
  const b = formatLabelSelector(parseLabelSelector('!old,app==web,tier in (a,b)'));
  assert.equal(a, 'app=web,!old,tier in (a,b)');
  assert.equal(a, b);
  assert.equal(formatLabelSelector(parseLabelSelector('x in (v)')), 'x=v');
});

test('the object form is read like matchLabels and matchExpressions', () => {
  const selector = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'old', operator: 'DoesNotExist' }] });
  assert.equal(formatLabelSelector(selector), 'app=web,env!=dev,!old');
});

test('bad selectors are errors quoting the term', () => {
  assert.throws(() => parseLabelSelector('app=web,tier in (a'), (err: unknown) => err instanceof LabelSelectorError && /unbalanced/.test(err.message));
  assert.throws(() => parseLabelSelector('app=we b'), /"app=we b": expected key/);
  assert.throws(() => parseLabelSelector('-bad=x'), /"-bad" is not a valid label key/);
  assert.throws(() => parseLabelSelector('app=@@'), /"@@" is not a valid label value/);
  assert.throws(() => parseLabelSelector('n>two'), /needs an integer/);
});
