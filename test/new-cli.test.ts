import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;

function run(cwd: string, args: string[]) {
  // NODE_TEST_CONTEXT would make a nested `node --test` report to this runner instead of stdout
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, args, { encoding: 'utf8', cwd, env });
}

test('new scaffolds an AssemblyScript project whose build passes its own tests', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'new-cli-'));
  const created = run(parent, [bin, 'new', 'hello-op', '--lang', 'as']);
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /^created hello-op\//);
  const dir = path.join(parent, 'hello-op');
  assert.deepEqual((await readdir(dir)).sort(), ['.gitignore', 'README.md', 'assembly', 'manifest.yaml', 'operators.yaml', 'package.json', 'test']);

  // what `npm test` in the project does, with this checkout's CLI standing in for the npm package
  const built = run(dir, [bin, 'build', 'assembly/index.ts', '-o', 'build/hello-op.wasm']);
  assert.equal(built.status, 0, built.stderr);
  const tested = run(dir, ['--test', 'test/']);
  assert.equal(tested.status, 0, tested.stdout + tested.stderr);
  assert.match(tested.stdout, /pass 2\n/);
});

test('new refuses a name that cannot be an operator name, and a folder that is not empty', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'new-cli-'));
  const bad = run(parent, [bin, 'new', 'Hello_World']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"Hello_World" is not a valid operator name/);
  await writeFile(path.join(parent, 'keep.txt'), 'x');
  const busy = run(parent, [bin, 'new', 'ok', '--dir', '.']);
  assert.equal(busy.status, 2);
  assert.match(busy.stderr, /already exists and is not empty/);
});
