import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/wasm-operator.js', import.meta.url));
const toolsCache = fileURLToPath(new URL('../.cache/wasm-operator', import.meta.url));

function run(cwd: string, args: string[]) {
  // NODE_TEST_CONTEXT would make a nested `node --test` report to this runner instead of stdout
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, args, { encoding: 'utf8', cwd, env: { ...env, WASM_OPERATOR_CACHE: toolsCache } });
}

test('new --lang js scaffolds a TypeScript project whose build passes its own tests', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'new-js-'));
  const created = run(parent, [bin, 'new', 'hello-js', '--lang', 'js']);
  assert.equal(created.status, 0, created.stderr);
  const dir = path.join(parent, 'hello-js');
  assert.deepEqual((await readdir(dir)).sort(), ['.gitignore', 'README.md', 'manifest.yaml', 'operators.yaml', 'package.json', 'src', 'test', 'tsconfig.json']);

  // what `npm test` in the project does, with this checkout's CLI standing in for the npm package
  const built = run(dir, [bin, 'build', 'src/operator.ts', '--lang', 'js', '-o', 'build/hello-js.wasm']);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /build\/hello-js\.wasm: \d+ bytes, sha256:[0-9a-f]{64} \(js, manifest manifest\.yaml\)/);
  assert.match(built.stderr, /engine \d+ bytes, script \d+ bytes, image \d+ bytes/);
  const tested = run(dir, ['--test', 'test/']);
  assert.equal(tested.status, 0, tested.stdout + tested.stderr);
  assert.match(tested.stdout, /pass 2\n/);
});
