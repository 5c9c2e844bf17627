import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startApiServer } from '../src/apiserver/index.ts';

const run = promisify(execFile);

function httpsGet(url: string, ca: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

test('with TLS and a token, the kubeconfig verifies the server and authenticates; nothing else gets in', async () => {
  const server = await startApiServer({ tls: true, token: 'sekret' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'apiserver-tls-'));
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const kubeconfig = path.join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
    const { stdout } = await run('kubectl', ['get', 'namespaces', '-o', 'name'], { env });
    assert.match(stdout, /namespace\/default/);
    const denied = await httpsGet(`${server.url}/api/v1/namespaces`, server.caCertPem!);
    assert.equal(denied.status, 401);
    assert.equal(JSON.parse(denied.body).reason, 'Unauthorized');
    const wrong = await httpsGet(`${server.url}/api/v1/namespaces`, server.caCertPem!, 'guess');
    assert.equal(wrong.status, 401);
    const allowed = await httpsGet(`${server.url}/api/v1/namespaces`, server.caCertPem!, 'sekret');
    assert.equal(allowed.status, 200);
    const health = await httpsGet(`${server.url}/healthz`, server.caCertPem!);
    assert.deepEqual(health, { status: 200, body: 'ok' });
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
