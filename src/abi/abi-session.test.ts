import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbiSession, maxPayloadBytes, type AbiServices, type GuestMemory } from './abi-session.ts';
import { AbiViolationError, type KubeRequest } from './payloads.ts';

/** One 64 KiB page of guest memory, with payloads placed by the test. */
function fixture(services: Partial<AbiServices> = {}) {
  const memory = new Uint8Array(65_536);
  const view: GuestMemory = {
    read: (ptr, len) => {
      if (ptr + len > memory.length) throw new RangeError('out of bounds');
      return memory.slice(ptr, ptr + len);
    },
    write: (ptr, bytes) => memory.set(bytes, ptr),
  };
  const logs: unknown[] = [];
  const session = new AbiSession(
    {
      kubeRequest: async () => ({ status: 200, body: {} }),
      cacheGet: () => null,
      cacheList: () => [],
      log: (record) => logs.push(record),
      ...services,
    },
    () => view,
  );
  const imports = new Map(session.imports().map((i) => [i.name, i] as const));
  // Tests call imports as the engine would: plain ones synchronously, suspending ones awaited.
  const fn = (name: string) => imports.get(name)!.fn as (...args: number[]) => number | void;
  const suspending = (name: string) => imports.get(name)!.fn as (...args: number[]) => Promise<number>;
  let next = 1024;
  const put = (value: unknown): [number, number] => {
    const bytes = new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    const ptr = next;
    next += bytes.length + 8;
    view.write(ptr, bytes);
    return [ptr, bytes.length];
  };
  const take = (len: number): unknown => {
    const ptr = next;
    next += len + 8;
    assert.equal(fn('response_read')(ptr, len), len);
    return JSON.parse(new TextDecoder().decode(view.read(ptr, len)));
  };
  return { session, imports, fn, suspending, put, take, logs };
}

test('kube_request is a suspending import that answers through the two-step read', async () => {
  let seen: KubeRequest | undefined;
  const f = fixture({
    kubeRequest: async (request) => {
      seen = request;
      return { status: 201, body: { kind: 'ConfigMap' } };
    },
  });
  assert.equal(f.imports.get('kube_request')!.suspending, true);
  const len = await f.suspending('kube_request')(...f.put({ method: 'post', path: '/api/v1/namespaces/a/configmaps', query: { dryRun: 'All', limit: 5 }, body: { a: 1 } }));
  assert.deepEqual(seen, { method: 'POST', path: '/api/v1/namespaces/a/configmaps', query: { dryRun: 'All', limit: '5' }, contentType: 'application/json', body: { a: 1 } });
  assert.deepEqual(f.take(len), { status: 201, body: { kind: 'ConfigMap' } });
});

test('an oversized API response reaches the guest as a Status, not a trap', async () => {
  const f = fixture({ kubeRequest: async () => ({ status: 200, body: 'x'.repeat(maxPayloadBytes) }) });
  const len = await f.suspending('kube_request')(...f.put({ method: 'GET', path: '/api/v1/configmaps' }));
  const answer = f.take(len) as { status: number; body: { reason: string; message: string } };
  assert.equal(answer.status, 500);
  assert.match(answer.body.message, /GET \/api\/v1\/configmaps .* over the ABI's/);
});

test('response_read refuses a buffer of the wrong size and keeps the answer pending', () => {
  const f = fixture({ cacheGet: () => ({ metadata: { name: 'x' } }) });
  const len = f.fn('cache_get')(...f.put({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' })) as number;
  assert.equal(f.fn('response_read')(4096, len - 1), -1);
  assert.deepEqual(f.take(len), { metadata: { name: 'x' } });
  assert.equal(f.fn('response_read')(4096, len), -1, 'an answer is read once');
});

test('cache_get answers null for a missing object and cache_list wraps items', () => {
  const f = fixture({ cacheList: (request) => [{ kind: request.kind }] });
  const missing = f.fn('cache_get')(...f.put({ apiVersion: 'v1', kind: 'ConfigMap', name: 'x' })) as number;
  assert.equal(f.take(missing), null);
  const list = f.fn('cache_list')(...f.put({ apiVersion: 'v1', kind: 'Pod', labelSelector: 'app=web' })) as number;
  assert.deepEqual(f.take(list), { items: [{ kind: 'Pod' }] });
});

test('the result is done unless the guest set one, and the last one set wins', () => {
  const f = fixture();
  f.session.beginCall();
  assert.deepEqual(f.session.endCall(), { kind: 'done' });
  f.session.beginCall();
  f.fn('set_result')(...f.put({ kind: 'failed', message: 'no', terminal: true }));
  f.fn('set_result')(...f.put({ kind: 'requeueAfter', delayMs: 250 }));
  assert.deepEqual(f.session.endCall(), { kind: 'requeueAfter', delayMs: 250 });
});

test('log records reach the services with defaults filled in', () => {
  const f = fixture();
  f.fn('log')(...f.put({ message: 'hello' }));
  f.fn('log')(...f.put({ level: 'warn', message: 'careful', fields: { n: 1 } }));
  assert.deepEqual(f.logs, [
    { level: 'info', message: 'hello', fields: {} },
    { level: 'warn', message: 'careful', fields: { n: 1 } },
  ]);
});

test('payloads that break the contract throw an AbiViolationError naming the import', () => {
  const f = fixture();
  const cases: [string, unknown][] = [
    ['set_result', 'not json'],
    ['set_result', { kind: 'maybe' }],
    ['set_result', { kind: 'requeueAfter', delayMs: -1 }],
    ['log', { level: 'loud' }],
    ['cache_get', { apiVersion: 'v1', kind: 'ConfigMap' }],
    ['cache_list', [1, 2]],
  ];
  for (const [name, payload] of cases) {
    assert.throws(() => f.fn(name)(...f.put(payload)), (err: unknown) => err instanceof AbiViolationError && err.message.includes(name), `${name} ${JSON.stringify(payload)}`);
  }
  assert.throws(() => f.fn('log')(65_000, 10_000), /outside guest memory/);
});

test('kube_request rejects a relative path and an unknown method', async () => {
  const f = fixture();
  await assert.rejects(async () => f.suspending('kube_request')(...f.put({ method: 'GET', path: 'api/v1' })), /must start with "\/"/);
  await assert.rejects(async () => f.suspending('kube_request')(...f.put({ method: 'BREW', path: '/api/v1' })), /unsupported method "BREW"/);
});

test('a watch request is answered 400 without reaching the API server', async () => {
  let calls = 0;
  const f = fixture({ kubeRequest: async () => ({ status: 200, body: (calls++, {}) }) });
  const len = await f.suspending('kube_request')(...f.put({ method: 'GET', path: '/api/v1/configmaps', query: { watch: 'true' } }));
  const answer = f.take(len) as { status: number; body: { reason: string } };
  assert.deepEqual([answer.status, answer.body.reason, calls], [400, 'BadRequest', 0]);
});
