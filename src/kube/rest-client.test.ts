import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { makeTestCertificates, type TestCertificates } from '../../test/support/tls-certs.ts';
import { sendJson, startTestServer, statusBody, type Handler, type TestServer } from '../../test/support/test-server.ts';
import { ExecCredentialError, KubeApiError, KubeTransportError } from './errors.ts';
import type { KubeLogger } from './logger.ts';
import { KubeClient, patchContentTypes, type KubeClientOptions } from './rest-client.ts';
import type { RestConfig } from './rest-config.ts';

let certs: TestCertificates;
before(() => {
  certs = makeTestCertificates('alice');
});

const servers: TestServer[] = [];
const clients: KubeClient[] = [];
after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Handler, tls = false): Promise<TestServer> {
  const server = await startTestServer(handler, tls ? { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, requestCert: true, rejectUnauthorized: false } : undefined);
  servers.push(server);
  return server;
}

function client(config: Partial<RestConfig> & { server: string }, options: KubeClientOptions = {}): KubeClient {
  const c = new KubeClient(
    { source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' }, ...config },
    { retry: { initialBackoffMs: 5, maxBackoffMs: 20 }, ...options },
  );
  clients.push(c);
  return c;
}

function recordingLogger() {
  const events: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const logger: KubeLogger = { log: (level, event, fields) => events.push({ level, event, fields: { ...fields } }) };
  return { logger, events };
}

const ok = (res: http.ServerResponse) => sendJson(res, 200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } });
const okHandler: Handler = (_req, res) => ok(res);

test('requests go over mutual TLS with the kubeconfig CA and client certificate', async () => {
  const server = await serve(okHandler, true);
  const c = client({ server: server.url, tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey, insecureSkipVerify: false } });
  const cm = await c.call<{ metadata: { name: string } }>({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/x' });
  assert.equal(cm.metadata.name, 'x');
  assert.equal(server.requests[0]!.clientCommonName, 'alice');
});

test('a server certificate from another CA is refused, and the failure is not retried', async () => {
  const server = await serve(okHandler, true);
  const c = client({ server: server.url, tls: { ca: certs.otherCaCert, insecureSkipVerify: false } });
  await assert.rejects(c.request({ method: 'GET', path: '/version' }), (err: unknown) => err instanceof KubeTransportError && err.attempts === 1);
  assert.equal(server.requests.length, 0);
});

test('insecure-skip-tls-verify accepts any server certificate', async () => {
  const server = await serve(okHandler, true);
  const c = client({ server: server.url, tls: { insecureSkipVerify: true } });
  assert.equal((await c.request({ method: 'GET', path: '/version' })).status, 200);
});

test('tls-server-name is the name checked against the certificate', async () => {
  const server = await serve(okHandler, true);
  const good = client({ server: server.url.replace('127.0.0.1', 'localhost'), tls: { ca: certs.caCert, serverName: 'kube.test', insecureSkipVerify: false } });
  assert.equal((await good.request({ method: 'GET', path: '/version' })).status, 200);
  const bad = client({ server: server.url, tls: { ca: certs.caCert, serverName: 'elsewhere.test', insecureSkipVerify: false } });
  await assert.rejects(bad.request({ method: 'GET', path: '/version' }), /elsewhere\.test/);
});

test('the bearer token, impersonation, query, body and patch content type reach the server', async () => {
  const server = await serve((_req, res, seen) => sendJson(res, 200, { echoed: JSON.parse(seen.body) as unknown }));
  const c = client({ server: server.url, auth: { type: 'token', token: 's3cret' }, impersonate: { user: 'system:serviceaccount:ops:op1', groups: ['a', 'b'] } });
  const response = await c.request({
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/shop/deployments/web',
    query: { fieldManager: 'webapp', force: true, dryRun: undefined },
    contentType: patchContentTypes.apply,
    body: { spec: { replicas: 3 } },
  });
  assert.deepEqual(response.body, { echoed: { spec: { replicas: 3 } } });
  const seen = server.requests[0]!;
  assert.equal(seen.url, '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=webapp&force=true');
  assert.equal(seen.headers.authorization, 'Bearer s3cret');
  assert.equal(seen.headers['content-type'], 'application/apply-patch+yaml');
  assert.equal(seen.headers['impersonate-user'], 'system:serviceaccount:ops:op1');
  assert.equal(seen.headers['impersonate-group'], 'a, b');
});

test('keep-alive: consecutive requests share one connection', async () => {
  const ports = new Set<number>();
  const server = await serve((req, res) => {
    ports.add(req.socket.remotePort!);
    ok(res);
  });
  const c = client({ server: server.url });
  for (let i = 0; i < 5; i++) await c.request({ method: 'GET', path: '/api/v1/namespaces' });
  assert.equal(ports.size, 1);
});

test('429 is retried after the Retry-After delay, even for a POST', async () => {
  let calls = 0;
  const server = await serve((_req, res) => {
    calls++;
    if (calls === 1) sendJson(res, 429, statusBody(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 1 }), { 'retry-after': '1' });
    else sendJson(res, 201, { kind: 'ConfigMap' });
  });
  const { logger, events } = recordingLogger();
  const c = client({ server: server.url }, { logger });
  const response = await c.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { kind: 'ConfigMap' } });
  assert.equal(response.status, 201);
  assert.equal(calls, 2);
  assert.deepEqual(events.filter((e) => e.event === 'kube.request.retry').map((e) => [e.fields.reason, e.fields.delayMs]), [['HTTP 429, Retry-After', 1000]]);
  assert.deepEqual(c.stats(), { requests: 2, retries: 1, rateLimited: 0 });
});

test('a Retry-After longer than the budget is handed back instead of waited for', async () => {
  const server = await serve((_req, res) => sendJson(res, 429, statusBody(429, 'TooManyRequests', 'slow down'), { 'retry-after': '120' }));
  const c = client({ server: server.url });
  const response = await c.request({ method: 'GET', path: '/api/v1/pods' });
  assert.equal(response.status, 429);
  assert.equal(server.requests.length, 1);
  await assert.rejects(c.call({ method: 'GET', path: '/api/v1/pods' }), (err: unknown) => err instanceof KubeApiError && err.reason === 'TooManyRequests');
});

test('500s are retried for a GET until it succeeds, and not at all for a POST', async () => {
  let calls = 0;
  const server = await serve((req, res) => {
    calls++;
    if (req.method === 'POST' || calls < 3) sendJson(res, 500, statusBody(500, 'InternalError', 'etcd hiccup'));
    else ok(res);
  });
  const c = client({ server: server.url });
  assert.equal((await c.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/x' })).status, 200);
  assert.equal(calls, 3);
  calls = 0;
  assert.equal((await c.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: {} })).status, 500);
  assert.equal(calls, 1);
});

test('persistent 503s stop after maxRetries and come back as the last answer', async () => {
  const server = await serve((_req, res) => sendJson(res, 503, statusBody(503, 'ServiceUnavailable', 'apiserver is shutting down')));
  const c = client({ server: server.url }, { retry: { maxRetries: 2, initialBackoffMs: 1, maxBackoffMs: 2 } });
  await assert.rejects(c.call({ method: 'GET', path: '/api/v1/pods' }), (err: unknown) =>
    err instanceof KubeApiError && err.status === 503 && err.message === 'GET /api/v1/pods failed: 503 ServiceUnavailable: apiserver is shutting down',
  );
  assert.equal(server.requests.length, 3);
});

test('a connection reset is retried for a GET but surfaces for a POST', async () => {
  let calls = 0;
  const server = await serve((req, res) => {
    calls++;
    if (calls === 1 || req.method === 'POST') req.socket.destroy();
    else ok(res);
  });
  const c = client({ server: server.url });
  assert.equal((await c.request({ method: 'GET', path: '/api/v1/pods' })).status, 200);
  assert.equal(calls, 2);
  await assert.rejects(c.request({ method: 'POST', path: '/api/v1/pods', body: {} }), (err: unknown) =>
    err instanceof KubeTransportError && err.code === 'KUBE_UNREACHABLE' && err.attempts === 1 && /ECONNRESET/.test(err.message),
  );
});

test('a body cut short is a reset, not an answer', async () => {
  let calls = 0;
  const server = await serve((req, res) => {
    calls++;
    if (calls === 1) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"kind":"Config');
      setTimeout(() => req.socket.destroy(), 10);
    } else ok(res);
  });
  const c = client({ server: server.url });
  const response = await c.request({ method: 'GET', path: '/api/v1/configmaps' });
  assert.deepEqual([response.status, calls], [200, 2]);
});

test('a refused connection is retried for any method, then reported with the attempt count', async () => {
  const port = await freePort();
  const c = client({ server: `http://127.0.0.1:${port}` }, { retry: { maxRetries: 3, initialBackoffMs: 1, maxBackoffMs: 2 } });
  await assert.rejects(c.request({ method: 'POST', path: '/api/v1/pods', body: {} }), (err: unknown) =>
    err instanceof KubeTransportError && err.attempts === 4 && /ECONNREFUSED/.test(err.message) && !err.timedOut,
  );
});

test('a slow server runs the call out of its budget: KUBE_TIMEOUT', async () => {
  const server = await serve((req, res) => {
    setTimeout(() => ok(res), 2_000);
  });
  const c = client({ server: server.url });
  await assert.rejects(c.request({ method: 'GET', path: '/api/v1/pods', timeoutMs: 150 }), (err: unknown) =>
    err instanceof KubeTransportError && err.code === 'KUBE_TIMEOUT' && err.timedOut && /no answer within 150 ms/.test(err.message),
  );
});

test('a caller\'s abort rejects with its own reason', async () => {
  const server = await serve((req, res) => {
    setTimeout(() => ok(res), 2_000);
  });
  const c = client({ server: server.url });
  const controller = new AbortController();
  const pending = c.request({ method: 'GET', path: '/api/v1/pods', signal: controller.signal });
  setTimeout(() => controller.abort(new Error('operator suspended')), 50);
  await assert.rejects(pending, /operator suspended/);
});

test('call() turns a Status into a KubeApiError with reason and causes', async () => {
  const causes = [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1', field: 'spec.replicas' }];
  const server = await serve((_req, res) =>
    sendJson(res, 422, statusBody(422, 'Invalid', 'Deployment.apps "web" is invalid', { name: 'web', group: 'apps', kind: 'Deployment', causes })),
  );
  const c = client({ server: server.url });
  const err = await c.call({ method: 'PUT', path: '/apis/apps/v1/namespaces/shop/deployments/web', body: {} }).catch((e: unknown) => e);
  assert.ok(err instanceof KubeApiError);
  assert.equal(err.code, 'KUBE_API_ERROR');
  assert.deepEqual([err.status, err.reason, err.details?.causes], [422, 'Invalid', causes]);
  const raw = await c.request({ method: 'PUT', path: '/apis/apps/v1/namespaces/shop/deployments/web', body: {} });
  assert.deepEqual([raw.status, (raw.body as { reason: string }).reason], [422, 'Invalid']);
});

test('a non-Status error body still becomes a KubeApiError with the usual reason', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>no such page</html>');
  });
  const err = await client({ server: server.url }).call({ method: 'GET', path: '/nope' }).catch((e: unknown) => e);
  assert.ok(err instanceof KubeApiError);
  assert.deepEqual([err.reason, err.body.message], ['NotFound', '<html>no such page</html>']);
});

test('a 401 makes a token file be read again, and the request goes out once more', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-token-'));
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, 'old-token\n');
  let valid = 'old-token';
  const server = await serve((req, res) => {
    if (req.headers.authorization === `Bearer ${valid}`) ok(res);
    else sendJson(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
  });
  const c = client({ server: server.url, auth: { type: 'tokenFile', path: tokenFile } });
  assert.equal((await c.request({ method: 'GET', path: '/api' })).status, 200);
  writeFileSync(tokenFile, 'rotated-token\n');
  valid = 'rotated-token';
  assert.equal((await c.request({ method: 'GET', path: '/api' })).status, 200);
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ['Bearer old-token', 'Bearer old-token', 'Bearer rotated-token']);
  valid = 'never';
  assert.equal((await c.request({ method: 'GET', path: '/api' })).status, 401);
});

test('an expired exec credential is refreshed by running the plugin again', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-exec-client-'));
  const script = path.join(dir, 'plugin.cjs');
  // Each run hands out a new token that expires at once (10 s ahead is inside the refresh skew).
  writeFileSync(script, `
const fs = require('node:fs'); const f = ${JSON.stringify(path.join(dir, 'n'))};
const n = (fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) : 0) + 1; fs.writeFileSync(f, String(n));
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
  status: { token: 'exec-' + n, expirationTimestamp: new Date(Date.now() + 5000).toISOString() } }));`);
  const server = await serve(okHandler);
  const c = client({
    server: server.url,
    auth: { type: 'exec', exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [script], env: [], baseEnv: {}, interactiveMode: 'IfAvailable' } },
  });
  await c.request({ method: 'GET', path: '/api' });
  await c.request({ method: 'GET', path: '/api' });
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ['Bearer exec-1', 'Bearer exec-2']);
});

test('requests beyond the burst wait for the rate limiter', async () => {
  const server = await serve(okHandler);
  const c = client({ server: server.url }, { rateLimit: { qps: 20, burst: 2 } });
  const all = Array.from({ length: 5 }, () => c.request({ method: 'GET', path: '/api' }));
  await new Promise((r) => setImmediate(r));
  assert.equal(c.stats().rateLimited, 3);
  await Promise.all(all);
  assert.equal(c.stats().rateLimited, 0);
});

test('proxy-url: requests tunnel through an HTTP CONNECT proxy', async () => {
  const server = await serve(okHandler, true);
  const tunnels: string[] = [];
  const proxy = http.createServer();
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  try {
    const c = client({ server: server.url, tls: { ca: certs.caCert, insecureSkipVerify: false }, proxyEnv: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl } });
    assert.equal((await c.request({ method: 'GET', path: '/version' })).status, 200);
    assert.deepEqual(tunnels, [`127.0.0.1:${server.port}`]);
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a credential plugin that fails is reported as itself, not as a transport error', async () => {
  const server = await serve(okHandler);
  const c = client({
    server: server.url,
    auth: { type: 'exec', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'no-such-plugin-anywhere', args: [], env: [], baseEnv: {}, interactiveMode: 'Never' } },
  });
  await assert.rejects(c.request({ method: 'GET', path: '/api' }), (err: unknown) => err instanceof ExecCredentialError && /was not found/.test(err.message));
  assert.equal(server.requests.length, 0);
});

test('a client certificate from an exec plugin is used for mutual TLS', async () => {
  const server = await serve(okHandler, true);
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-exec-cert-'));
  const script = path.join(dir, 'plugin.cjs');
  writeFileSync(script, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
    status: { clientCertificateData: process.env.CERT, clientKeyData: process.env.KEY } }));`);
  const c = client({
    server: server.url,
    tls: { ca: certs.caCert, insecureSkipVerify: false },
    auth: { type: 'exec', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script], env: [{ name: 'CERT', value: certs.clientCert }, { name: 'KEY', value: certs.clientKey }], baseEnv: {}, interactiveMode: 'Never' } },
  });
  assert.equal((await c.request({ method: 'GET', path: '/api' })).status, 200);
  assert.equal(server.requests[0]!.clientCommonName, 'alice');
});
