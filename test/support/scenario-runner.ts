/**
 * Runs one differential scenario against a fresh server: each HTTP step through fetch,
 * each kubectl step through the real kubectl with a kubeconfig for that server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mismatch, normaliseText, stepUrl, type HttpStep, type KubectlStep, type Scenario } from './scenario.ts';

/** What the runner needs from an embedded server. */
export interface EmbeddedServer {
  url: string;
  writeKubeconfig(path: string): Promise<void>;
  close(): Promise<void>;
}

export type StartServer = (options: { port: number }) => Promise<EmbeddedServer>;

/** Fails (assert) at the first step whose answer differs from the scenario's expectation. */
export async function runScenario(scenario: Scenario, start: StartServer): Promise<void> {
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
