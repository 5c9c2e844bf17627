import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildOperator, pickLanguage } from './build.ts';
import { MANIFEST_SECTION } from './custom-section.ts';

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

test('a module that misses an ABI export fails the build, naming the export', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-'));
  const entry = path.join(dir, 'op.c');
  await writeFile(entry, '#define WASM_OPERATOR_IMPLEMENTATION\n#include "wasm_operator.h"\nvoid wo_init(char *p, int32_t n) { (void)n; free(p); }\n');
  await assert.rejects(buildOperator(entry, { cacheDir: null }), /does not fit the operator ABI \(docs\/abi\.md\):\n {2}missing export "wo_reconcile" \(function\)/);
});

test('a manifest beside the entry is embedded; the digest is of the bytes returned', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-'));
  const entry = path.join(dir, 'op.c');
  await writeFile(entry, '#define WASM_OPERATOR_IMPLEMENTATION\n#include "wasm_operator.h"\nvoid wo_init(char *p, int32_t n) { (void)n; free(p); }\nvoid wo_reconcile(char *p, int32_t n) { (void)n; free(p); }\n');
  await writeFile(path.join(dir, 'manifest.json'), '{"watches":[{"apiVersion":"v1","kind":"Secret"}]}');
  const out = await buildOperator(entry, { cacheDir: path.join(dir, 'cache') });
  const [section] = WebAssembly.Module.customSections(await WebAssembly.compile(out.wasm), MANIFEST_SECTION);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(section)), { watches: [{ apiVersion: 'v1', kind: 'Secret' }] });
  assert.equal(out.digest, `sha256:${createHash('sha256').update(out.wasm).digest('hex')}`);
  assert.equal(out.cached, false);
  assert.equal((await buildOperator(entry, { cacheDir: path.join(dir, 'cache') })).cached, true);
});
