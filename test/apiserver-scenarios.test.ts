/**
 * Runs every scenario of test/apiserver-scenarios/ against a fresh embedded API server and
 * compares the answers with kube-apiserver's documented ones (see the README there).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startApiServer } from '../src/apiserver/index.ts';
import { parseScenario } from './support/scenario.ts';
import { runScenario, type StartServer } from './support/scenario-runner.ts';

const dir = new URL('./apiserver-scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function kubectlMinor(): number | undefined {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const minor = (JSON.parse(r.stdout) as { clientVersion?: { minor?: string } }).clientVersion?.minor;
  return minor === undefined ? undefined : Number.parseInt(minor, 10);
}

const kubectl = kubectlMinor();
// Each server gets its own schema support, as a server keeps one for its lifetime.
const start: StartServer = (options) => startApiServer(options);

test('every scenario file follows the scenario format', () => {
  assert.ok(files.length > 0);
  for (const f of files) parseScenario(f, readFileSync(new URL(f, dir), 'utf8'));
});

for (const file of files) {
  const scenario = parseScenario(file, readFileSync(new URL(file, dir), 'utf8'));
  const usesKubectl = scenario.steps.some((s) => 'kubectl' in s);
  const skip = usesKubectl && (kubectl === undefined || kubectl < (scenario.kubectlMinor ?? 0)) ? `needs kubectl 1.${scenario.kubectlMinor ?? 0} or newer` : false;
  test(`${file}: ${scenario.name}`, { skip }, async () => {
    await runScenario(scenario, start);
  });
}
