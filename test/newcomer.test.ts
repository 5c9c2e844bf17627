/**
 * docs/writing-operators.md, followed to the letter: `wasm-operator new`, build, `wasm-operator
 * dev -f operators.yaml`, then kubectl against the KUBECONFIG that dev prints, and the starter
 * operator does what the page says it does.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;

function cli(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `wasm-operator ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function kubectl(kubeconfig: string, ...args: string[]) {
  return spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } });
}

test('a new operator, built and run with dev as the guide describes, greets a labelled ConfigMap', async (t) => {
  const parent = await mkdtemp(path.join(tmpdir(), 'newcomer-'));
  cli(parent, 'new', 'hello');
  const project = path.join(parent, 'hello');
  cli(project, 'build', 'assembly/index.ts', '-o', 'build/hello.wasm'); // what `npm run build` runs

  const dev = spawn(process.execPath, [bin, 'dev', '-f', 'operators.yaml'], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => dev.once('exit', resolve));
  t.after(async () => {
    // dev first (it writes snapshots into the project as it stops), then the project
    dev.kill('SIGTERM');
    const stuck = setTimeout(() => dev.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(stuck);
    await rm(parent, { recursive: true, force: true });
  });
  let stderr = '';
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev printed no KUBECONFIG within 30 s:\n${stderr}`)), 30_000);
    dev.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /export KUBECONFIG=(\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`dev exited with ${String(code)}:\n${stderr}`)));
  });

  assert.equal(kubectl(kubeconfig, 'create', 'configmap', 'world', '--from-literal=x=1').status, 0);
  assert.equal(kubectl(kubeconfig, 'label', 'configmap', 'world', 'greet=true').status, 0);
  const deadline = Date.now() + 20_000;
  let message = '';
  while (Date.now() < deadline) {
    message = kubectl(kubeconfig, 'get', 'configmap', 'world-greeting', '-o', 'jsonpath={.data.message}').stdout;
    if (message !== '') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(message, 'Hello, world!', stderr);
});
