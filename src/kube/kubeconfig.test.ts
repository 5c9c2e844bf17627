import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { KubeConfigError } from './errors.ts';
import { loadKubeConfig } from './kubeconfig.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'wo-kubeconfig-'));
}

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const basic = (name: string, server: string, extra = '') => `
apiVersion: v1
kind: Config
current-context: ${name}
clusters:
- name: ${name}
  cluster:
    server: ${server}
contexts:
- name: ${name}
  context: {cluster: ${name}, user: ${name}-user, namespace: ${name}-ns}
users:
- name: ${name}-user
  user: {token: ${name}-token}
${extra}`;

test('an explicit path is used alone, with its current context', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('one', 'https://one.example:6443/'));
  const config = await loadKubeConfig({ explicitPath: file, env: { KUBECONFIG: '/nowhere' } });
  assert.equal(config.server, 'https://one.example:6443');
  assert.equal(config.namespace, 'one-ns');
  assert.equal(config.context, 'one');
  assert.deepEqual(config.auth, { type: 'token', token: 'one-token' });
  assert.match(config.source, /context "one"/);
});

test('a missing explicit path is an error naming it', async () => {
  await assert.rejects(loadKubeConfig({ explicitPath: '/no/such/kubeconfig', env: {} }), (err: unknown) =>
    err instanceof KubeConfigError && err.message.includes('/no/such/kubeconfig'),
  );
});

test('KUBECONFIG files merge as kubectl merges them: first definition and first current-context win', async () => {
  const dir = tempDir();
  const first = write(path.join(dir, 'a'), `
clusters:
- name: shared
  cluster: {server: https://from-a}
users:
- name: me
  user: {token: from-a}
contexts:
- name: only-in-a
  context: {cluster: shared, user: me}
`);
  const second = write(path.join(dir, 'b'), `
current-context: only-in-b
clusters:
- name: shared
  cluster: {server: https://from-b}
contexts:
- name: only-in-b
  context: {cluster: shared, user: me, namespace: b-ns}
`);
  const env = { KUBECONFIG: [first, path.join(dir, 'missing'), second].join(path.delimiter) };
  const config = await loadKubeConfig({ env });
  assert.equal(config.context, 'only-in-b');
  assert.equal(config.server, 'https://from-a');
  assert.deepEqual(config.auth, { type: 'token', token: 'from-a' });
  assert.equal(config.namespace, 'b-ns');
  const other = await loadKubeConfig({ env, context: 'only-in-a' });
  assert.equal(other.namespace, 'default');
});

test('KUBECONFIG naming only missing files is an error listing them', async () => {
  await assert.rejects(loadKubeConfig({ env: { KUBECONFIG: '/x/one:/x/two' } }), /none of the files in KUBECONFIG exists: \/x\/one, \/x\/two/);
});

test('relative certificate paths are read from the kubeconfig file\'s folder; data fields are decoded', async () => {
  const dir = tempDir();
  write(path.join(dir, 'certs', 'ca.crt'), 'CA PEM');
  write(path.join(dir, 'certs', 'client.crt'), 'CLIENT CERT PEM');
  const file = write(path.join(dir, 'nested', 'config'), `
current-context: c
clusters:
- name: c
  cluster:
    server: https://10.0.0.1
    certificate-authority: ../certs/ca.crt
    tls-server-name: kube.internal
contexts:
- name: c
  context: {cluster: c, user: u}
users:
- name: u
  user:
    client-certificate: ../certs/client.crt
    client-key-data: ${b64('CLIENT KEY PEM')}
`);
  const config = await loadKubeConfig({ explicitPath: file, env: {} });
  assert.deepEqual(config.tls, { insecureSkipVerify: false, ca: 'CA PEM', cert: 'CLIENT CERT PEM', key: 'CLIENT KEY PEM', serverName: 'kube.internal' });
  assert.deepEqual(config.auth, { type: 'none' });
});

test('a token file wins over a token, and its relative path is resolved', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('t', 'https://t', '').replace('{token: t-token}', '{token: t-token, tokenFile: tokens/t}'));
  const config = await loadKubeConfig({ explicitPath: file, env: {} });
  assert.deepEqual(config.auth, { type: 'tokenFile', path: path.join(dir, 'tokens', 't') });
});

test('an unreadable certificate file is an error naming the file and the context', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('c', 'https://c').replace('server: https://c', 'server: https://c\n    certificate-authority: missing-ca.crt'));
  await assert.rejects(loadKubeConfig({ explicitPath: file, env: {} }), (err: unknown) =>
    err instanceof KubeConfigError && err.message.includes('context "c"') && err.message.includes(path.join(dir, 'missing-ca.crt')),
  );
});

test('unknown contexts, clusters and users are errors that say what exists', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('x', 'https://x'));
  await assert.rejects(loadKubeConfig({ explicitPath: file, env: {}, context: 'nope' }), /has no context "nope" \(it has: x\)/);
  const broken = write(path.join(dir, 'broken'), basic('x', 'https://x').replace('user: x-user', 'user: ghost'));
  await assert.rejects(loadKubeConfig({ explicitPath: broken, env: {} }), /user "ghost" is not defined/);
});

test('malformed files are errors naming the file and the field', async () => {
  const dir = tempDir();
  await assert.rejects(loadKubeConfig({ explicitPath: write(path.join(dir, 'a'), 'clusters: {oops: 1}\n'), env: {} }), /a: clusters must be a list/);
  await assert.rejects(loadKubeConfig({ explicitPath: write(path.join(dir, 'b'), 'users:\n- name: u\n  user: {token: 5}\n'), env: {} }), /users\[0\]\.user\.token must be a string/);
  await assert.rejects(loadKubeConfig({ explicitPath: write(path.join(dir, 'c'), 'clusters: [\n'), env: {} }), /is not valid YAML/);
});

test('legacy auth-provider entries are refused with a pointer to exec plugins', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('g', 'https://g').replace('{token: g-token}', '{auth-provider: {name: gcp}}'));
  await assert.rejects(loadKubeConfig({ explicitPath: file, env: {} }), /auth-provider "gcp" is not supported.*exec credential plugin/);
});

test('exec plugins: v1 requires interactiveMode, v1beta1 defaults it, relative commands resolve against the file', async () => {
  const dir = tempDir();
  const exec = (apiVersion: string, mode: string) =>
    basic('e', 'https://e', `
- name: plugin-user
  user:
    exec:
      apiVersion: ${apiVersion}
      command: ./bin/get-token
      args: [--cluster, e]
      env: [{name: REGION, value: eu}]
      provideClusterInfo: true
      ${mode}
`).replace('user: e-user', 'user: plugin-user');
  await assert.rejects(
    loadKubeConfig({ explicitPath: write(path.join(dir, 'v1'), exec('client.authentication.k8s.io/v1', '')), env: {} }),
    /interactiveMode is required/,
  );
  const config = await loadKubeConfig({ explicitPath: write(path.join(dir, 'beta'), exec('client.authentication.k8s.io/v1beta1', '')), env: { PATH: '/usr/bin' } });
  assert.equal(config.auth.type, 'exec');
  if (config.auth.type !== 'exec') return;
  assert.equal(config.auth.exec.command, path.join(dir, 'bin', 'get-token'));
  assert.equal(config.auth.exec.interactiveMode, 'IfAvailable');
  assert.deepEqual(config.auth.exec.args, ['--cluster', 'e']);
  assert.deepEqual(config.auth.exec.cluster, { server: 'https://e' });
  assert.equal(config.auth.exec.baseEnv.PATH, '/usr/bin');
  await assert.rejects(
    loadKubeConfig({ explicitPath: write(path.join(dir, 'alpha'), exec('client.authentication.k8s.io/v1alpha1', 'interactiveMode: Never')), env: {} }),
    /apiVersion "client.authentication.k8s.io\/v1alpha1" is not supported/,
  );
});

test('proxy-url becomes the agent\'s proxy; otherwise the environment\'s proxy variables apply', async () => {
  const dir = tempDir();
  const withProxy = write(path.join(dir, 'p'), basic('p', 'https://p').replace('server: https://p', 'server: https://p\n    proxy-url: http://proxy:3128'));
  assert.deepEqual((await loadKubeConfig({ explicitPath: withProxy, env: { HTTPS_PROXY: 'http://ignored' } })).proxyEnv, {
    HTTPS_PROXY: 'http://proxy:3128',
    HTTP_PROXY: 'http://proxy:3128',
  });
  const plain = write(path.join(dir, 'q'), basic('q', 'https://q'));
  assert.deepEqual((await loadKubeConfig({ explicitPath: plain, env: { https_proxy: 'http://envproxy:8080', NO_PROXY: '10.0.0.0/8' } })).proxyEnv, {
    HTTPS_PROXY: 'http://envproxy:8080',
    NO_PROXY: '10.0.0.0/8',
  });
  const socks = write(path.join(dir, 's'), basic('s', 'https://s').replace('server: https://s', 'server: https://s\n    proxy-url: socks5://proxy:1080'));
  await assert.rejects(loadKubeConfig({ explicitPath: socks, env: {} }), /only http:\/\/ and https:\/\/ proxies/);
});

test('impersonation fields become the default Impersonate-* identity', async () => {
  const dir = tempDir();
  const file = write(path.join(dir, 'config'), basic('i', 'https://i').replace('{token: i-token}', '{token: i-token, as: alice, as-groups: [devs, ops]}'));
  assert.deepEqual((await loadKubeConfig({ explicitPath: file, env: {} })).impersonate, { user: 'alice', groups: ['devs', 'ops'] });
});

test('in a pod, the service account is used before ~/.kube/config', async () => {
  const dir = tempDir();
  const sa = path.join(dir, 'sa');
  write(path.join(sa, 'token'), 'sa-token\n');
  write(path.join(sa, 'ca.crt'), 'CLUSTER CA');
  write(path.join(sa, 'namespace'), 'operators\n');
  write(path.join(dir, 'home', '.kube', 'config'), basic('home', 'https://home'));
  const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
  const config = await loadKubeConfig({ env, homeDir: path.join(dir, 'home'), serviceAccountDir: sa });
  assert.equal(config.server, 'https://[fd00::1]:443');
  assert.equal(config.source, 'in-cluster');
  assert.equal(config.namespace, 'operators');
  assert.deepEqual(config.auth, { type: 'tokenFile', path: path.join(sa, 'token') });
  assert.equal(config.tls.ca, 'CLUSTER CA');
  const outside = await loadKubeConfig({ env: {}, homeDir: path.join(dir, 'home'), serviceAccountDir: sa });
  assert.equal(outside.server, 'https://home');
});

test('with nothing to go on, the error lists every place it looked', async () => {
  const dir = tempDir();
  await assert.rejects(loadKubeConfig({ env: {}, homeDir: dir, serviceAccountDir: path.join(dir, 'sa') }), /pass --kubeconfig, set KUBECONFIG, run in a pod, or create .*\.kube\/config/);
});
