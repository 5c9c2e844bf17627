import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat } from '../../test/support/wat.ts';
import { appendCustomSection } from '../build/custom-section.ts';
import type { ModuleError } from './errors.ts';
import { manifestSectionName, moduleDigest, readManifest } from './module-loader.ts';
import { WasmEngine } from './wasm-engine.ts';
import type { LoadOptions } from './wasm-engine.ts';

const limit = { source: 'op.wasm', maxMemoryBytes: 1 << 20 };

async function refusal(bytes: Uint8Array | Promise<Uint8Array>, options: Partial<LoadOptions> = {}): Promise<ModuleError> {
  try {
    await new WasmEngine().load(await bytes, { ...limit, ...options });
  } catch (err) {
    return err as ModuleError;
  }
  assert.fail('the module was loaded');
}

function withCustomSection(module: Uint8Array, name: string, content: string): Uint8Array {
  return appendCustomSection(module, name, new TextEncoder().encode(content));
}

test('bytes that are not WebAssembly are refused as such', async () => {
  const err = await refusal(new TextEncoder().encode('#!/bin/sh\necho hi\n'));
  assert.equal(err.code, 'MODULE_NOT_WASM');
  assert.match(err.message, /^module op\.wasm is not WebAssembly .*; it was not loaded$/);
});

test('a WebAssembly component is named as one', async () => {
  const err = await refusal(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
  assert.equal(err.code, 'MODULE_NOT_WASM');
  assert.match(err.message, /component, not a core module/);
});

test('invalid WebAssembly is refused with the validator\'s reason', async () => {
  const valid = await wat('(module (memory 1) (func (export "f") (result i32) i32.const 1))');
  const broken = valid.slice(0, valid.length - 3);
  const err = await refusal(broken);
  assert.equal(err.code, 'MODULE_INVALID');
  assert.match(err.message, /is not valid WebAssembly \(.+\)/);
});

test('an import the host does not provide is named', async () => {
  const err = await refusal(wat('(module (import "env" "fetch" (func (param i32))) (memory 1))'), { imports: [{ module: 'env', name: 'log' }] });
  assert.equal(err.code, 'MODULE_IMPORT_MISSING');
  assert.match(err.message, /imports env\.fetch, which the host does not provide/);
  assert.equal(err.context.import, 'env.fetch');
});

test('an import with another type than the host provides is refused', async () => {
  const err = await refusal(wat('(module (import "env" "log" (func (param i64))) (memory 1))'), { imports: [{ module: 'env', name: 'log', params: ['i32'], results: [] }] });
  assert.equal(err.code, 'MODULE_IMPORT_TYPE');
  assert.match(err.message, /imports env\.log as \(i64\) -> \(\), but the host provides \(i32\) -> \(\)/);
});

test('WASI imports are checked against the shim\'s signatures', async () => {
  assert.equal((await refusal(wat('(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))) (memory 1))'))).code, 'MODULE_IMPORT_TYPE');
  assert.equal((await refusal(wat('(module (import "wasi_snapshot_preview1" "fd_teleport" (func)) (memory 1))'))).code, 'MODULE_IMPORT_MISSING');
});

test('an imported memory is refused: a module must own its memory', async () => {
  const err = await refusal(wat('(module (import "env" "memory" (memory 1)))'));
  assert.equal(err.code, 'MODULE_IMPORT_MISSING');
  assert.match(err.message, /imports memory env\.memory, but the host provides only functions/);
});

test('a missing or mistyped required export is named', async () => {
  const module = wat('(module (memory 1) (func (export "reconcile") (param i32) (result i32) local.get 0))');
  const missing = await refusal(module, { requiredExports: [{ name: 'init' }] });
  assert.equal(missing.code, 'MODULE_EXPORT_MISSING');
  assert.match(missing.message, /does not export the function init/);
  const mistyped = await refusal(module, { requiredExports: [{ name: 'reconcile', params: ['i32', 'i32'], results: ['i32'] }] });
  assert.equal(mistyped.code, 'MODULE_EXPORT_TYPE');
});

test('a WASI command is refused with how to build a reactor', async () => {
  const err = await refusal(wat('(module (memory 1) (func (export "_start")))'));
  assert.equal(err.code, 'MODULE_NOT_REACTOR');
  assert.match(err.message, /-mexec-model=reactor/);
});

test('a memory larger than allowed is refused', async () => {
  const err = await refusal(wat('(module (memory 32))'));
  assert.equal(err.code, 'MODULE_MEMORY_TOO_LARGE');
  assert.match(err.message, /above the limit of 16 pages/);
});

test('modules without a memory, with two, or with a shared one are refused', async () => {
  assert.match((await refusal(wat('(module (func))'))).message, /defines no memory/);
  assert.equal((await refusal(wat('(module (memory 1 1 shared))'))).code, 'MODULE_UNSUPPORTED');
});

test('exports in the engine\'s reserved namespace are refused', async () => {
  assert.equal((await refusal(wat('(module (memory 1) (func (export "__wasm_operator_start")))'))).code, 'MODULE_UNSUPPORTED');
});

test('the manifest custom section is read as JSON, with or without compiling', async () => {
  const bytes = withCustomSection(await wat('(module (memory 1))'), manifestSectionName, '{"name":"cert-renewer","watches":[]}');
  assert.deepEqual(readManifest(bytes, 'op.wasm'), { name: 'cert-renewer', watches: [] });
  const module = await new WasmEngine().load(bytes, limit);
  assert.deepEqual(module.manifest, { name: 'cert-renewer', watches: [] });
  assert.equal(readManifest(await wat('(module (memory 1))'), 'op.wasm'), undefined);
});

test('a manifest that is not a JSON object is refused', async () => {
  for (const content of ['{"name":', '[1,2]']) {
    const err = await refusal(withCustomSection(await wat('(module (memory 1))'), manifestSectionName, content));
    assert.equal(err.code, 'MODULE_MANIFEST_INVALID');
  }
});

test('code is compiled once per code digest and memory limit, shared by modules that differ only in custom sections', async () => {
  const engine = new WasmEngine();
  const bytes = await wat('(module (memory 1) (func (export "f")))');
  const [a, b] = await Promise.all([engine.load(bytes, limit), engine.load(bytes.slice(), limit)]);
  assert.equal(a.code, b.code);
  assert.equal(a.digest, moduleDigest(bytes));
  assert.match(a.digest, /^sha256:[0-9a-f]{64}$/);
  const other = await engine.load(withCustomSection(bytes, manifestSectionName, '{"config":{"n":1}}'), limit);
  assert.equal(other.code, a.code, 'a custom section changes the module, not its code');
  assert.notEqual(other.digest, a.digest, 'but snapshots still tell the modules apart');
  assert.deepEqual([a.manifest, other.manifest], [undefined, { config: { n: 1 } }]);
  assert.notEqual((await engine.load(bytes, { ...limit, maxMemoryBytes: 2 << 20 })).code, a.code);
});
