import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import c, { parseDepFile } from './c.ts';

test('a make dependency file lists its inputs, escaped spaces and continuations included', () => {
  const text = 'out.wasm: /src/op.c /src/my\\ dir/a.h \\\n  /usr/include/wasm32-wasi/stdio.h\n';
  assert.deepEqual(parseDepFile(text), ['/src/op.c', '/src/my dir/a.h', '/usr/include/wasm32-wasi/stdio.h']);
  assert.deepEqual(parseDepFile(''), []);
});

test('a C build reports its inputs (entry and local headers, not the system ones)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'c-toolchain-'));
  await writeFile(path.join(dir, 'local.h'), '#define ANSWER 42\n');
  await writeFile(path.join(dir, 'op.c'), [
    '#define WASM_OPERATOR_IMPLEMENTATION',
    '#include "wasm_operator.h"',
    '#include "local.h"',
    'void wo_init(char *p, int32_t n) { (void)n; free(p); }',
    'void wo_reconcile(char *p, int32_t n) { (void)n; free(p); wo_set_result_str("{\\"kind\\":\\"done\\"}"); }',
  ].join('\n'));
  const inputs = new Set<string>();
  const wasm = await c.build(path.join(dir, 'op.c'), { optimize: true, inputs, log: () => {} });
  assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  const names = [...inputs].map((f) => path.basename(f)).sort();
  assert.deepEqual(names, ['c.ts', 'local.h', 'op.c', 'wasm_operator.h']); // c.ts: its flags are an input too
});

test('a C compile error is a BuildError showing clang\'s diagnostics', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'c-toolchain-'));
  await writeFile(path.join(dir, 'broken.c'), 'int main( {\n');
  await assert.rejects(c.build(path.join(dir, 'broken.c'), { optimize: true, inputs: new Set(), log: () => {} }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'BUILD_FAILED');
    assert.match(err.message, /C build of .*broken\.c failed:\n.*broken\.c:1:\d+: error/);
    return true;
  });
});

test('extra flags reach the compiler', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'c-toolchain-'));
  const entry = path.join(dir, 'flagged.c');
  await writeFile(entry, '#ifndef ANSWER\n#error ANSWER is not defined\n#endif\nint answer(void) { return ANSWER; }\n');
  await assert.rejects(c.build(entry, { optimize: true, inputs: new Set(), log: () => {} }), /ANSWER is not defined/);
  const wasm = await c.build(entry, { optimize: true, inputs: new Set(), log: () => {}, flags: ['-DANSWER=42'] });
  assert.ok(wasm.length > 8);
});
