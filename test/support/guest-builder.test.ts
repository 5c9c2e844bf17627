import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { buildGuest } from './guest-builder.ts';

const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'guest-builder-'));
after(() => fsp.rm(root, { recursive: true, force: true }));

test('a C guest builds to a reactor module, and the second build comes from the cache', async () => {
  const source = path.join(root, 'answer.c');
  await fsp.writeFile(source, '__attribute__((export_name("answer"))) int answer(void) { return 42; }\n');
  const options = { cacheDir: path.join(root, 'cache') };
  const first = await buildGuest({ name: 'answer', language: 'c', files: [source] }, options);
  assert.equal(first.cached, false);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(first.bytes), {});
  assert.equal((instance.exports.answer as () => number)(), 42);
  assert.ok(WebAssembly.Module.exports(new WebAssembly.Module(first.bytes)).some((e) => e.name === '_initialize'));
  const second = await buildGuest({ name: 'answer', language: 'c', files: [source] }, options);
  assert.equal(second.cached, true);
  assert.equal(second.path, first.path);

  await fsp.writeFile(source, '__attribute__((export_name("answer"))) int answer(void) { return 43; }\n');
  const changed = await buildGuest({ name: 'answer', language: 'c', files: [source] }, options);
  assert.equal(changed.cached, false, 'a changed source is rebuilt');
  assert.notEqual(changed.path, first.path);
});

test('an AssemblyScript guest builds as a WASI reactor', async () => {
  const source = path.join(root, 'hello.ts');
  await fsp.writeFile(source, 'let calls: i32 = 0;\nexport function hello(): i32 { calls++; console.log("hi"); return calls; }\n');
  const built = await buildGuest({ name: 'hello', language: 'assemblyscript', files: [source] }, { cacheDir: path.join(root, 'cache') });
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(built.bytes)).map((e) => e.name);
  assert.ok(exports.includes('hello'));
  assert.ok(!exports.includes('_start'));
  assert.ok(WebAssembly.Module.imports(new WebAssembly.Module(built.bytes)).every((i) => i.module === 'wasi_snapshot_preview1'));
});

test('a guest that does not compile fails with the compiler\'s diagnostics', async () => {
  const source = path.join(root, 'broken.c');
  await fsp.writeFile(source, 'int broken(void) { return missing_symbol; }\n');
  await assert.rejects(buildGuest({ name: 'broken', language: 'c', files: [source] }, { cacheDir: path.join(root, 'cache') }), (err: Error & { code: string }) => {
    assert.equal(err.code, 'GUEST_BUILD_FAILED');
    assert.match(err.message, /guest broken failed to compile with clang:\n.*missing_symbol/);
    return true;
  });
  const asSource = path.join(root, 'broken.ts');
  await fsp.writeFile(asSource, 'export function f(): i32 { return "nope"; }\n');
  await assert.rejects(buildGuest({ name: 'broken-as', language: 'assemblyscript', files: [asSource] }, { cacheDir: path.join(root, 'cache') }),
    { code: 'GUEST_BUILD_FAILED', message: /failed to compile with AssemblyScript:\n.*TS2322/s });
  assert.deepEqual((await fsp.readdir(path.join(root, 'cache'))).filter((f) => f.includes('.tmp-')), []);
});
