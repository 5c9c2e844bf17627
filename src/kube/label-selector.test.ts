import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels, parseLabelSelector } from './label-selector.ts';

const labels = { app: 'web', tier: 'frontend', replicas: '3', empty: '' };

test('equality, inequality, set and existence requirements match as the API server matches them', () => {
  const cases: Array<[string, boolean]> = [
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=db', true],
    ['app in (web, db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['empty=', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>2', false],
    ['app=web,tier=frontend', true],
    ['app=web, tier=backend', false],
    ['', true],
  ];
  for (const [selector, expected] of cases) assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected, selector);
});

test('an object without labels matches only requirements that allow absence', () => {
  assert.equal(matchesLabels(parseLabelSelector('!app,tier notin (x)'), undefined), true);
  assert.equal(matchesLabels(parseLabelSelector('app'), undefined), false);
});

test('keys with a DNS prefix and words in and notin as keys parse', () => {
  assert.deepEqual(parseLabelSelector('example.com/role in (a,b), in=x'), [
    { key: 'example.com/role', operator: 'In', values: ['a', 'b'] },
    { key: 'in', operator: 'In', values: ['x'] },
  ]);
});

test('a selector that does not parse says what was expected and where', () => {
  assert.throws(() => parseLabelSelector('app in (web'), { code: 'KUBE_LABEL_SELECTOR', message: 'label selector "app in (web": expected "," or ")" in the values of "app", found the end of the selector' });
  assert.throws(() => parseLabelSelector('app web'), /expected an operator \(=, ==, !=, in, notin, <, >\) or "," after "app", found "web"/);
  assert.throws(() => parseLabelSelector('a=b,,c'), /expected a label key, found ","/);
  assert.throws(() => parseLabelSelector('app in ()'), /"app": the values of in and notin must not be empty/);
  assert.throws(() => parseLabelSelector('replicas>three'), /the value of > must be an integer, got "three"/);
});

test('invalid label keys and values are refused with the API server\'s rule', () => {
  assert.throws(() => parseLabelSelector('-app=web'), /invalid label key "-app": name part must consist of alphanumeric characters/);
  assert.throws(() => parseLabelSelector(`app=${'x'.repeat(64)}`), /must be no more than 63 characters/);
  assert.throws(() => parseLabelSelector('Example.com/app=web'), /prefix part must be a lowercase RFC 1123 subdomain/);
});

test('matchLabels and matchExpressions become the same requirements as the string form', () => {
  const fromObject = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.deepEqual(fromObject, parseLabelSelector('app=web, tier in (frontend,edge), !legacy'));
  assert.equal(matchesLabels(fromObject, labels), true);
});

test('an object-form expression with the wrong values for its operator is refused', () => {
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /matchExpressions\[0\]: values must be non-empty when operator is In/);
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values must be empty when operator is Exists/);
});

test('the string form is canonical: sorted by key, values sorted, and it parses back to the same meaning', () => {
  const selector = parseLabelSelector('tier in (b,a), app=web, !legacy, n>1, x notin (z,y), y!=q');
  const text = formatLabelSelector(selector);
  assert.equal(text, 'app=web,!legacy,n>1,tier in (a,b),x notin (y,z),y!=q');
  assert.equal(formatLabelSelector(parseLabelSelector(text)), text);
});

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
