import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

test('--version prints the version from package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const result = cli('--version');
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), pkg.version);
});

test('an unknown command exits with status 2 and names the command', () => {
  const result = cli('no-such-command');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'no-such-command'/);
});

test('apiserver refuses --data-dir together with --in-memory, naming both', () => {
  const result = cli('apiserver', '--data-dir', '/tmp/nowhere', '--in-memory');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--data-dir and --in-memory exclude each other/);
});

test('run refuses a --snapshot-compression it does not know, listing the ones it does', () => {
  const result = cli('run', '-f', 'operators.yaml', '--snapshot-compression', 'lz4');
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /--snapshot-compression <mode>' argument 'lz4' is invalid. Allowed choices are auto, zstd, none/);
});

test('`npm start -- --exit`, as the README says, runs the demo tour to its summary', () => {
  const result = spawnSync('npm', ['start', '--', '--exit'], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 180_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /recreated the Deployment/);
  assert.match(result.stdout, /Summary: \d+ wake-ups, \d+ reconciles, 0 failures/);
});
