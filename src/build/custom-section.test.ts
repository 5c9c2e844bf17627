import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendCustomSection, MANIFEST_SECTION } from './custom-section.ts';

// the smallest valid module: header only
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test('an appended section is what WebAssembly.Module.customSections reads back', () => {
  const payload = new TextEncoder().encode('{"watches":[]}');
  const module = new WebAssembly.Module(appendCustomSection(EMPTY_MODULE, MANIFEST_SECTION, payload));
  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  assert.equal(sections.length, 1);
  assert.deepEqual(new Uint8Array(sections[0]!), payload);
});

test('a payload over 127 bytes gets a multi-byte LEB128 size and still validates', () => {
  const payload = new Uint8Array(70_000).fill(0x20);
  const module = new WebAssembly.Module(appendCustomSection(EMPTY_MODULE, 'x', payload));
  assert.equal(WebAssembly.Module.customSections(module, 'x')[0]!.byteLength, 70_000);
});

test('bytes that are not wasm are refused', () => {
  assert.throws(() => appendCustomSection(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'x', new Uint8Array()), /not a WebAssembly binary/);
});
