import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, test } from 'node:test';
import { sendJson, startTestServer, statusBody, type Handler, type TestServer } from '../../test/support/test-server.ts';
import { KubeApiError, WatchStreamError } from './errors.ts';
import { KubeClient } from './rest-client.ts';
import type { WatchEvent } from './watch-stream.ts';

const servers: TestServer[] = [];
const clients: KubeClient[] = [];
after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function watchClient(handler: Handler): Promise<{ client: KubeClient; server: TestServer }> {
  const server = await startTestServer(handler);
  servers.push(server);
  const client = new KubeClient({ server: server.url, source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } });
  clients.push(client);
  return { client, server };
}

const event = (type: WatchEvent['type'], name: string, rv: string) => ({ type, object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: 'default', resourceVersion: rv } } });
const wire = [event('ADDED', 'a', '11'), event('MODIFIED', 'a', '12'), event('DELETED', 'a', '13')].map((e) => `${JSON.stringify(e)}\n`).join('');

function startStream(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
}

async function drip(res: http.ServerResponse, text: string, size: number): Promise<void> {
  for (let i = 0; i < text.length; i += size) {
    res.write(text.slice(i, i + size));
    await new Promise((r) => setImmediate(r));
  }
}

async function collect(stream: AsyncIterable<WatchEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const e of stream) seen.push(`${e.type} ${e.object.metadata?.resourceVersion}`);
  return seen;
}

test('events written a few bytes at a time arrive whole; a clean end ends the iteration', async () => {
  const { client, server } = await watchClient(async (_req, res) => {
    startStream(res);
    await drip(res, wire, 7);
    res.end();
  });
  const stream = await client.watch({ path: '/api/v1/namespaces/default/configmaps', query: { resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 300 } });
  assert.deepEqual(await collect(stream), ['ADDED 11', 'MODIFIED 12', 'DELETED 13']);
  assert.equal(server.requests[0]!.url, '/api/v1/namespaces/default/configmaps?resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=300&watch=true');
});

test('a stream cut in the middle of an event fails after the complete events', async () => {
  const { client } = await watchClient(async (req, res) => {
    startStream(res);
    await drip(res, wire.slice(0, wire.length - 30), 50);
    await new Promise((r) => setTimeout(r, 20));
    req.socket.destroy();
  });
  const stream = await client.watch({ path: '/api/v1/configmaps' });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of stream) seen.push(e.type);
    })(),
    (err: unknown) => err instanceof WatchStreamError && err.code === 'KUBE_WATCH_STREAM',
  );
  assert.deepEqual(seen, ['ADDED', 'MODIFIED']);
});

test('410 Gone at the start is a KubeApiError the informer can relist on', async () => {
  const { client } = await watchClient((_req, res) => sendJson(res, 410, statusBody(410, 'Expired', 'too old resource version: 1 (50)')));
  await assert.rejects(client.watch({ path: '/api/v1/configmaps', query: { resourceVersion: '1' } }), (err: unknown) =>
    err instanceof KubeApiError && err.status === 410 && err.reason === 'Expired',
  );
});

test('close() ends a quiet watch without an error', async () => {
  const { client } = await watchClient((_req, res) => startStream(res));
  const stream = await client.watch({ path: '/api/v1/configmaps' });
  setTimeout(() => stream.close(), 30);
  assert.deepEqual(await collect(stream), []);
});

test('the caller\'s signal ends the watch without an error', async () => {
  const { client } = await watchClient(async (_req, res) => {
    startStream(res);
    await drip(res, wire.split('\n')[0]! + '\n', 1000);
  });
  const controller = new AbortController();
  const stream = await client.watch({ path: '/api/v1/configmaps', signal: controller.signal });
  const seen: string[] = [];
  for await (const e of stream) {
    seen.push(e.type);
    controller.abort();
  }
  assert.deepEqual(seen, ['ADDED']);
});

test('a connection that goes silent past the idle timeout is taken for dead', async () => {
  const { client } = await watchClient((_req, res) => startStream(res));
  const stream = await client.watch({ path: '/api/v1/configmaps', idleTimeoutMs: 100 });
  await assert.rejects(collect(stream), (err: unknown) => err instanceof WatchStreamError && /no data for 100 ms/.test(err.message));
});

test('a server that never answers the watch request fails within the connect timeout', async () => {
  const server = await startTestServer(() => {});
  servers.push(server);
  const client = new KubeClient({ server: server.url, source: 'test', namespace: 'default', tls: { insecureSkipVerify: false }, auth: { type: 'none' } }, { timeoutMs: 100 });
  clients.push(client);
  await assert.rejects(client.watch({ path: '/api/v1/configmaps' }), /did not answer within 100 ms/);
});
