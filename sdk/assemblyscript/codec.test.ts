import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codec } from './test/codec-module.ts';

const deployment = {
  kind: 'Deployment', apiVersion: 'apps/v1',
  metadata: {
    name: 'web', namespace: 'shop', resourceVersion: '123456', generation: 3,
    labels: { app: 'web' }, annotations: { note: 'café "quoted" \\ back\nline\ttab \u0001 ☃ 𝄞' },
  },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
  status: { conditions: [{ type: 'Available', status: 'True' }], empty: {}, none: [], flag: false, nothing: null },
};

test('a Kubernetes object survives parse and write byte for byte', async () => {
  const text = JSON.stringify(deployment);
  assert.equal((await codec()).roundtrip(text), text);
});

test('arrays of several objects, and objects holding arrays of them, nest correctly', async () => {
  const text = '{"steps":[{"op":"get","n":[1,{"x":[{"a":1},{"b":2}]}]},{"op":"list"},[],{}],"after":{"k":[{"z":0},3]}}';
  assert.equal((await codec()).roundtrip(text), text);
});

test('numbers keep their exact text, beyond what a double holds', async () => {
  const text = '{"big":9007199254740993,"neg":-12,"float":1.5e-7,"zero":0,"dec":2.50}';
  assert.equal((await codec()).roundtrip(text), text);
});

test('whitespace is dropped and escapes are normalised to what JSON.stringify writes', async () => {
  const text = ' { "a" : [ 1 , 2 ] ,\n "s" : "\\u0041\\/\\ud83d\\ude00\\b\\f" } ';
  assert.equal((await codec()).roundtrip(text), JSON.stringify(JSON.parse(text)));
});

test('invalid JSON is refused rather than half-read', async () => {
  const c = await codec();
  for (const bad of ['', '{', '{"a":}', '[1,]', '{"a" 1}', '"unterminated', 'tru', '{"a":1}x', '-', '"\\x"', '"\\u12"', '"a\nb"']) {
    assert.equal(c.roundtrip(bad), undefined, `accepted ${JSON.stringify(bad)}`);
  }
});

test('nesting deeper than 200 levels is refused, not a stack overflow', async () => {
  const c = await codec();
  assert.equal(c.roundtrip('['.repeat(150) + ']'.repeat(150)), '['.repeat(150) + ']'.repeat(150));
  assert.equal(c.roundtrip('['.repeat(5000) + ']'.repeat(5000)), undefined);
});

test('a clone is deep: editing it leaves the original alone', async () => {
  const out = JSON.parse((await codec()).cloneAndEdit(JSON.stringify(deployment))) as { original: typeof deployment; copy: Record<string, unknown> };
  assert.deepEqual(out.original, deployment);
  assert.deepEqual(out.copy.metadata, { ...deployment.metadata, labels: { app: 'web', edited: 'yes' } });
  assert.equal('status' in out.copy, false);
});

test('typed reads convert numbers and fall back when a field is missing', async () => {
  const input = { ...deployment, ratio: 2.75, big: 9007199254740993n.toString() };
  const text = JSON.stringify(input).replace('"9007199254740993"', '9007199254740993');
  const out = (await codec()).typedReads(text);
  assert.equal(out, '{"name":"web","replicas":3,"ratio":2.75,"missing":"fallback","big":9007199254740993,"truncated":2}');
});

test('integer reads truncate decimals and apply exponents exactly', async () => {
  const c = await codec();
  const cases: Array<[string, bigint]> = [['3', 3n], ['-2.9', -2n], ['1.5e3', 1500n], ['2E+2', 200n], ['1e-2', 0n], ['-9223372036854775808', -9223372036854775808n], ['12.5e-1', 1n], ['x', 0n]];
  for (const [text, want] of cases) assert.equal(c.integer(text), want, text);
});

test('timestamps format and parse as Kubernetes RFC 3339', async () => {
  const c = await codec();
  for (const iso of ['1970-01-01T00:00:00Z', '2000-02-29T23:59:59Z', '2026-11-22T13:51:07Z', '1969-12-31T23:59:59Z', '2400-03-01T00:00:00Z']) {
    const ms = BigInt(Date.parse(iso));
    assert.equal(c.formatTime(ms), iso);
    assert.equal(c.parseTime(iso), ms);
  }
  assert.equal(c.parseTime('2026-01-02T03:04:05.678Z'), BigInt(Date.parse('2026-01-02T03:04:05.678Z')));
  assert.equal(c.parseTime('2026-01-02T03:04:05+02:00'), BigInt(Date.parse('2026-01-02T03:04:05+02:00')));
  for (const bad of ['yesterday', '2026-01-02 03:04:05Z', '2026-13-02T03:04:05Z', '2026-01-02T03:04:05']) {
    assert.equal(c.parseTime(bad), -1n, bad);
  }
});

test('plurals are guessed the way client-go guesses them', async () => {
  const c = await codec();
  const cases = { ConfigMap: 'configmaps', Ingress: 'ingresses', NetworkPolicy: 'networkpolicies', Endpoints: 'endpoints', WebApp: 'webapps', Status: 'statuses' };
  for (const [kind, plural] of Object.entries(cases)) assert.equal(c.plural(kind), plural);
});

test('paths follow the API server layout for core, grouped, namespaced and cluster-scoped kinds', async () => {
  const c = await codec();
  assert.equal(c.path({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' }), '/api/v1/namespaces/shop/configmaps/web');
  assert.equal(c.path({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: '' }), '/apis/apps/v1/namespaces/shop/deployments');
  assert.equal(c.path({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop' }), '/api/v1/namespaces/shop');
  assert.equal(c.path({ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web', subresource: 'status' }), '/apis/example.com/v1/namespaces/shop/webapps/web/status');
});
