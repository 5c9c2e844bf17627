/**
 * Runs every scenario of test/apiserver-scenarios/ against a fresh embedded API server and
 * compares the answers with kube-apiserver's documented ones (see the README there).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseScenario } from './support/scenario.ts';
import { runScenario, type StartServer } from './support/scenario-runner.ts';

const dir = new URL('./apiserver-scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

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
