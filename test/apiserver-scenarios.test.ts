/**
 * Runs every scenario of test/apiserver-scenarios/ against a fresh embedded API server and
 * compares the answers with kube-apiserver's documented ones (see the README there).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mismatch, normaliseText, parseScenario, stepUrl, type HttpStep, type KubectlStep, type Scenario } from './support/scenario.ts';

const dir = new URL('./apiserver-scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

interface EmbeddedServer {
  url: string;
  writeKubeconfig(path: string): Promise<void>;
  close(): Promise<void>;
}
type StartServer = (options: { port: number }) => Promise<EmbeddedServer>;

// The server lives on another branch until it is merged; until then the scenarios can only
// be checked for form. The module path is computed so the type-checker does not require it.
async function loadStartServer(): Promise<StartServer | undefined> {
  const modulePath = new URL('../src/apiserver/index.ts', import.meta.url).href;
  try {
    const mod = (await import(modulePath)) as { startApiServer?: StartServer };
    return mod.startApiServer;
  } catch (err) {
    // Only a missing module means "not merged yet"; a broken server must fail loudly.
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('src/apiserver/index.ts')) return undefined;
    throw err;
  }
}

function kubectlMinor(): number | undefined {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const minor = (JSON.parse(r.stdout) as { clientVersion?: { minor?: string } }).clientVersion?.minor;
  return minor === undefined ? undefined : Number.parseInt(minor, 10);
}

const startServer = await loadStartServer();
const kubectl = kubectlMinor();

test('every scenario file follows the scenario format', () => {
  assert.ok(files.length > 0);
  for (const f of files) parseScenario(f, readFileSync(new URL(f, dir), 'utf8'));
});

for (const file of files) {
  const scenario = parseScenario(file, readFileSync(new URL(file, dir), 'utf8'));
  const usesKubectl = scenario.steps.some((s) => 'kubectl' in s);
  const skip = startServer === undefined ? 'the embedded API server is not on this branch yet'
    : usesKubectl && (kubectl === undefined || kubectl < (scenario.kubectlMinor ?? 0)) ? `needs kubectl 1.${scenario.kubectlMinor ?? 0} or newer` : false;
  test(`${file}: ${scenario.name}`, { skip }, async () => {
    await runScenario(scenario, startServer!);
  });
}

async function runScenario(scenario: Scenario, start: StartServer): Promise<void> {
  const server = await start({ port: 0 });
  const work = mkdtempSync(join(tmpdir(), 'scenario-'));
  const kubeconfig = join(work, 'kubeconfig');
  try {
    await server.writeKubeconfig(kubeconfig);
    for (const [i, step] of scenario.steps.entries()) {
      const problem = 'http' in step ? await runHttp(server.url, step) : await runKubectl(kubeconfig, step);
      assert.equal(problem, undefined, `step ${i}: ${problem}`);
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function runHttp(base: string, step: HttpStep): Promise<string | undefined> {
  const deadline = Date.now() + (step.http.retryForMs ?? 0);
  for (;;) {
    const problem = await httpOnce(base, step);
    if (problem === undefined || Date.now() >= deadline) return problem;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function httpOnce(base: string, step: HttpStep): Promise<string | undefined> {
  const headers: Record<string, string> = { Accept: 'application/json', ...step.http.headers };
  const init: RequestInit = { method: step.http.method, headers };
  if (step.http.body !== undefined) {
    init.body = typeof step.http.body === 'string' ? step.http.body : JSON.stringify(step.http.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(stepUrl(base, step), init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compare the text
  }
  const where = `${step.http.method} ${step.http.path}`;
  if (res.status !== step.expect.status) return `${where}: expected status ${step.expect.status}, got ${res.status}: ${text.slice(0, 500)}`;
  if (step.expect.body !== undefined) {
    const m = mismatch(step.expect.body, body);
    if (m !== undefined) return `${where}: ${m}`;
  }
  for (const [name, value] of Object.entries(step.expect.headers ?? {})) {
    const expected = Array.isArray(value) ? value.join(', ') : value;
    if (res.headers.get(name) !== expected) return `${where}: header ${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(res.headers.get(name))}`;
  }
  return undefined;
}

function runKubectl(kubeconfig: string, step: KubectlStep): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', [`--kubeconfig=${kubeconfig}`, ...step.kubectl], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const what = `kubectl ${step.kubectl.join(' ')}`;
      const { exitCode, stdout: out, stderr: err } = step.expect;
      if (exitCode !== undefined && code !== exitCode) return resolve(`${what}: exit code ${code}, expected ${exitCode}; stderr: ${stderr}`);
      if (out !== undefined && normaliseText(stdout) !== normaliseText(out)) return resolve(`${what}: stdout\n${stdout}\nexpected\n${out}`);
      if (err !== undefined && normaliseText(stderr) !== normaliseText(err)) return resolve(`${what}: stderr\n${stderr}\nexpected\n${err}`);
      return resolve(undefined);
    });
    child.stdin.end(step.stdin ?? '');
  });
}
