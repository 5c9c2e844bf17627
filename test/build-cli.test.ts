import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createHash } from 'node:crypto';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;
const repo = new URL('..', import.meta.url).pathname;

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
}

test('build writes the module and prints its size and sha256 digest', async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'build-cli-')), 'ring.wasm');
  const result = cli(repo, 'build', 'examples/ring/assembly/index.ts', '-o', out);
  assert.equal(result.status, 0, result.stderr);
  const wasm = await readFile(out);
  const digest = createHash('sha256').update(wasm).digest('hex');
  assert.match(result.stdout, new RegExp(`^${out}: ${wasm.length} bytes, sha256:${digest} \\(as, manifest examples/ring/manifest\\.yaml(, cached)?\\)\\n$`));
});

test('a broken manifest fails the build with the file and field named', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-cli-'));
  await mkdir(path.join(dir, 'assembly'));
  await writeFile(path.join(dir, 'assembly', 'index.ts'), 'export function reconcile(): void {}\n');
  await writeFile(path.join(dir, 'manifest.yaml'), 'watches:\n  - apiVersion: v1\n');
  const result = cli(dir, 'build', 'assembly/index.ts', '-o', 'out.wasm');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /manifest\.yaml: manifest watches\[0\]\.kind: Required value/);
});

test('an operator without reconcile fails with a message saying what to export', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-cli-'));
  await mkdir(path.join(dir, 'assembly'));
  await writeFile(path.join(dir, 'assembly', 'index.ts'), 'export function reconciles(): void {}\n');
  await writeFile(path.join(dir, 'manifest.yaml'), 'watches:\n  - {apiVersion: v1, kind: ConfigMap}\n');
  const result = cli(dir, 'build', 'assembly/index.ts', '-o', 'out.wasm', '--no-cache');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /index\.ts must export function reconcile\(req: Request\): Result/);
});

test('an ambiguous .ts entry asks for --lang; a missing -o is a usage error', async () => {
  const ambiguous = cli(repo, 'build', 'src/index.ts', '-o', '/dev/null');
  assert.equal(ambiguous.status, 1);
  assert.match(ambiguous.stderr, /pass --lang as or --lang js/);
  const usage = cli(repo, 'build', 'examples/ring/assembly/index.ts');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /required option '-o, --out <file>'/);
});
