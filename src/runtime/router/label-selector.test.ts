import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSelector, matchesSelector, selectorFromObject } from './label-selector.ts';
import { parseSelector } from './parse-selector.ts';

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
  for (const [selector, expected] of cases) assert.equal(matchesSelector(parseSelector(selector), labels), expected, selector);
});

test('an object without labels matches only requirements that allow absence', () => {
  assert.equal(matchesSelector(parseSelector('!app,tier notin (x)'), undefined), true);
  assert.equal(matchesSelector(parseSelector('app'), undefined), false);
});

test('keys with a DNS prefix and words in and notin as keys parse', () => {
  assert.deepEqual(parseSelector('example.com/role in (a,b), in=x'), [
    { key: 'example.com/role', operator: 'In', values: ['a', 'b'] },
    { key: 'in', operator: 'In', values: ['x'] },
  ]);
});

test('a selector that does not parse says what was expected and where', () => {
  assert.throws(() => parseSelector('app in (web'), { code: 'INVALID_LABEL_SELECTOR', message: 'label selector "app in (web": expected "," or ")" in the values of "app", found the end of the selector' });
  assert.throws(() => parseSelector('app web'), /expected an operator \(=, ==, !=, in, notin, <, >\) or "," after "app", found "web"/);
  assert.throws(() => parseSelector('a=b,,c'), /expected a label key, found ","/);
  assert.throws(() => parseSelector('app in ()'), /"app": the values of in and notin must not be empty/);
  assert.throws(() => parseSelector('replicas>three'), /the value of > must be an integer, got "three"/);
});

test('invalid label keys and values are refused with the API server\'s rule', () => {
  assert.throws(() => parseSelector('-app=web'), /invalid label key "-app": name part must consist of alphanumeric characters/);
  assert.throws(() => parseSelector(`app=${'x'.repeat(64)}`), /must be no more than 63 characters/);
  assert.throws(() => parseSelector('Example.com/app=web'), /prefix part must be a lowercase RFC 1123 subdomain/);
});

test('matchLabels and matchExpressions become the same requirements as the string form', () => {
  const fromObject = selectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.deepEqual(fromObject, parseSelector('app=web, tier in (frontend,edge), !legacy'));
  assert.equal(matchesSelector(fromObject, labels), true);
});

test('an object-form expression with the wrong values for its operator is refused', () => {
  assert.throws(() => selectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /matchExpressions\[0\]: values must be non-empty when operator is In/);
  assert.throws(() => selectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values must be empty when operator is Exists/);
});

test('the string form is canonical: sorted by key, values sorted, and it parses back to the same meaning', () => {
  const selector = parseSelector('tier in (b,a), app=web, !legacy, n>1, x notin (z,y), y!=q');
  const text = formatSelector(selector);
  assert.equal(text, 'app=web,!legacy,n>1,tier in (a,b),x notin (y,z),y!=q');
  assert.equal(formatSelector(parseSelector(text)), text);
});
