import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendCustomSection } from './wasm-sections.ts';

// The smallest valid module: magic and version.
const empty = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

test('appended custom sections are valid and readable, large payloads included', () => {
  const small = Uint8Array.from([1, 2, 3]);
  const large = new Uint8Array(200_000).fill(7);
  const module = appendCustomSection(appendCustomSection(empty, 'a.small', small), 'b.large', large);
  const compiled = new WebAssembly.Module(module as Uint8Array<ArrayBuffer>);
  assert.deepEqual(new Uint8Array(WebAssembly.Module.customSections(compiled, 'a.small')[0] ?? []), small);
  assert.deepEqual(new Uint8Array(WebAssembly.Module.customSections(compiled, 'b.large')[0] ?? []), large);
  assert.deepEqual(module.subarray(0, 8), empty);
});
