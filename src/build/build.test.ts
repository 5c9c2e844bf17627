import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickLanguage } from './build.ts';

test('the language comes from the entry unless --lang says otherwise', () => {
  assert.equal(pickLanguage('ops/ttl/ttl.c'), 'c');
  assert.equal(pickLanguage('ops/webapp/assembly/index.ts'), 'as');
  assert.equal(pickLanguage('ops/webapp/src/index.js'), 'js');
  assert.equal(pickLanguage('ops/ring/main.go'), 'go');
  assert.equal(pickLanguage('ops/webapp/src/index.ts', 'js'), 'js');
  assert.equal(pickLanguage('ops/webapp/src/index.ts', 'as'), 'as');
});

test('a .ts outside assembly/ without --lang is refused, naming both choices', () => {
  assert.throws(() => pickLanguage('ops/webapp/src/index.ts'), /pass --lang as or --lang js/);
  assert.throws(() => pickLanguage('ops/webapp/Makefile'), /cannot tell the language/);
});
