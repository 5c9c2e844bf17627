import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findClangWasi, ToolchainMissingError } from './clang-wasi.ts';

test('the Debian toolchain the project installs is found complete', async () => {
  const found = await findClangWasi();
  assert.match(found.version, /clang version \d+/);
});

test('a missing compiler is reported with the Debian package to install', async () => {
  await assert.rejects(findClangWasi('no-such-clang-here'), (err: Error) => {
    assert.ok(err instanceof ToolchainMissingError);
    assert.match(err.message, /apt-get install clang/);
    return true;
  });
});

test('every missing piece is named in one message', () => {
  const err = new ToolchainMissingError([
    { what: 'the wasm linker (wasm-ld)', debianPackage: 'lld' },
    { what: 'the WASI C library', debianPackage: 'wasi-libc' },
  ]);
  assert.equal(err.code, 'TOOLCHAIN_MISSING');
  assert.match(err.message, /wasm-ld.*WASI C library.*apt-get install lld wasi-libc/);
});
