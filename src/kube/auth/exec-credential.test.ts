import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Clock } from '../clock.ts';
import { ExecCredentialError } from '../errors.ts';
import type { ExecPluginConfig } from '../rest-config.ts';
import { ExecCredentialSource } from './exec-credential.ts';

// A real plugin: a Node script that counts its runs, records what it was given, and prints
// the ExecCredential its arguments describe.
const pluginSource = `
const fs = require('node:fs');
const [dir, mode, ttlSeconds] = process.argv.slice(2);
const countFile = dir + '/count';
const n = (fs.existsSync(countFile) ? Number(fs.readFileSync(countFile, 'utf8')) : 0) + 1;
fs.writeFileSync(countFile, String(n));
fs.writeFileSync(dir + '/seen-' + n + '.json', JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), region: process.env.REGION, home: process.env.HOME, stdin: fs.fstatSync(0).isFIFO() }));
if (mode === 'fail') { process.stderr.write('token endpoint said no\\n'); process.exit(3); }
if (mode === 'hang') setTimeout(() => {}, 60000);
else if (mode === 'garbage') process.stdout.write('not json');
else {
  const status = mode === 'cert' ? { clientCertificateData: 'CERT' + n, clientKeyData: 'KEY' + n } : { token: 'token-' + n };
  if (ttlSeconds) status.expirationTimestamp = new Date(Date.now() + Number(ttlSeconds) * 1000).toISOString();
  process.stdout.write(JSON.stringify({ apiVersion: process.env.ANSWER_VERSION || 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
}
`;

function setup(mode: string, ttlSeconds?: number, overrides: Partial<ExecPluginConfig> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-exec-'));
  const script = path.join(dir, 'plugin.cjs');
  writeFileSync(script, pluginSource);
  const config: ExecPluginConfig = {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: process.execPath,
    args: [script, dir, mode, ...(ttlSeconds === undefined ? [] : [String(ttlSeconds)])],
    env: [{ name: 'REGION', value: 'eu-west' }],
    baseEnv: { HOME: '/home/tester' },
    interactiveMode: 'Never',
    ...overrides,
  };
  const offset = { ms: 0 };
  const clock: Clock = { now: () => Date.now() + offset.ms, setTimer: () => ({ cancel() {} }) };
  const runs = () => (existsSync(path.join(dir, 'count')) ? Number(readFileSync(path.join(dir, 'count'), 'utf8')) : 0);
  const seen = (n: number) => JSON.parse(readFileSync(path.join(dir, `seen-${n}.json`), 'utf8')) as Record<string, unknown>;
  return { config, clock, offset, runs, seen };
}

test('the plugin runs once for concurrent requests and its token is cached until it expires', async () => {
  const { config, clock, offset, runs } = setup('token', 3600);
  const source = new ExecCredentialSource(config, { clock, timeoutMs: 10_000 });
  const answers = await Promise.all([source.get(), source.get(), source.get()]);
  assert.deepEqual(answers.map((a) => a.authorization), ['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
  assert.equal(runs(), 1);
  offset.ms = 3_000_000;
  assert.equal((await source.get()).authorization, 'Bearer token-1');
  offset.ms = 3_600_000; // past expirationTimestamp
  assert.equal((await source.get()).authorization, 'Bearer token-2');
  assert.equal(runs(), 2);
});

test('a credential without expiry is kept until the server rejects it', async () => {
  const { config, clock, offset, runs } = setup('token');
  const source = new ExecCredentialSource(config, { clock, timeoutMs: 10_000 });
  await source.get();
  offset.ms = 86_400_000;
  assert.equal((await source.get()).authorization, 'Bearer token-1');
  assert.equal(source.invalidate(), true);
  assert.equal((await source.get()).authorization, 'Bearer token-2');
  assert.equal(runs(), 2);
});

test('the plugin gets the ExecCredential request, its env on top of the base env, and no terminal', async () => {
  const cluster = { server: 'https://10.0.0.1', 'certificate-authority-data': 'Q0E=' };
  const { config, clock, seen } = setup('token', undefined, { cluster });
  await new ExecCredentialSource(config, { clock, timeoutMs: 10_000 }).get();
  assert.deepEqual(seen(1), {
    info: { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false, cluster } },
    region: 'eu-west',
    home: '/home/tester',
    stdin: false,
  });
});

test('client certificates from the plugin are returned as a pair', async () => {
  const { config, clock } = setup('cert', 3600);
  assert.deepEqual(await new ExecCredentialSource(config, { clock, timeoutMs: 10_000 }).get(), { clientCert: { cert: 'CERT1', key: 'KEY1' } });
});

test('a failing plugin is an error with its exit code and stderr', async () => {
  const { config, clock } = setup('fail');
  await assert.rejects(new ExecCredentialSource(config, { clock, timeoutMs: 10_000 }).get(), (err: unknown) =>
    err instanceof ExecCredentialError && err.code === 'KUBE_EXEC_CREDENTIAL' && /exited with 3: token endpoint said no/.test(err.message),
  );
});

test('a plugin that is not installed is an error carrying the install hint', async () => {
  const { config, clock } = setup('token', undefined, { command: 'no-such-credential-plugin', installHint: 'Install it with: apt install the-plugin' });
  await assert.rejects(new ExecCredentialSource(config, { clock, timeoutMs: 10_000 }).get(), /"no-such-credential-plugin" was not found\nInstall it with/);
});

test('a plugin that hangs is killed after the timeout', async () => {
  const { config, clock } = setup('hang');
  await assert.rejects(new ExecCredentialSource(config, { clock, timeoutMs: 300 }).get(), /killed after 300 ms/);
});

test('output that is not an ExecCredential of the requested version is refused', async () => {
  const garbage = setup('garbage');
  await assert.rejects(new ExecCredentialSource(garbage.config, { clock: garbage.clock, timeoutMs: 10_000 }).get(), /not JSON/);
  const wrong = setup('token', undefined, { baseEnv: { ANSWER_VERSION: 'client.authentication.k8s.io/v1beta1' } });
  await assert.rejects(new ExecCredentialSource(wrong.config, { clock: wrong.clock, timeoutMs: 10_000 }).get(), /answered apiVersion "client.authentication.k8s.io\/v1beta1" but the kubeconfig asked for "client.authentication.k8s.io\/v1"/);
});

test('a plugin that insists on a terminal is refused without being run', async () => {
  const { config, clock, runs } = setup('token', undefined, { interactiveMode: 'Always' });
  await assert.rejects(new ExecCredentialSource(config, { clock, timeoutMs: 10_000 }).get(), /needs an interactive terminal/);
  assert.equal(runs(), 0);
});
