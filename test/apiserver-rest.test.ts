import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configMap, KubeHttp } from './support/kube-http.ts';

const cms = '/api/v1/namespaces/default/configmaps';

describe('embedded API server: objects over REST', () => {
  let kube: KubeHttp;
  before(async () => {
    kube = await KubeHttp.start();
  });
  after(() => kube.close());

  test('a created object gets uid, creationTimestamp and a resourceVersion, and reads back', async () => {
    const created = await kube.post(cms, configMap('alpha', { a: '1' }));
    assert.equal(created.status, 201);
    const meta = created.body.metadata;
    assert.match(meta.uid, /^[0-9a-f-]{36}$/);
    assert.match(meta.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(meta.namespace, 'default');
    assert.equal(meta.generation, undefined, 'ConfigMaps have no generation');
    const got = await kube.get(`${cms}/alpha`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);
  });

  test('a missing object is a NotFound Status worded as kube words it', async () => {
    const res = await kube.get(`${cms}/nope`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found',
      reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404,
    });
    const deployment = await kube.get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(deployment.body.message, 'deployments.apps "web" not found');
    assert.deepEqual(deployment.body.details, { name: 'web', group: 'apps', kind: 'deployments' });
  });

  test('creating an existing name is AlreadyExists (409)', async () => {
    await kube.post(cms, configMap('dup'));
    const res = await kube.post(cms, configMap('dup'));
    assert.equal(res.status, 409);
    assert.equal(res.body.reason, 'AlreadyExists');
    assert.equal(res.body.message, 'configmaps "dup" already exists');
  });

  test('an update with a stale resourceVersion is a Conflict with kube\'s message', async () => {
    const created = (await kube.post(cms, configMap('occ', { v: '1' }))).body;
    const updated = await kube.put(`${cms}/occ`, { ...created, data: { v: '2' } });
    assert.equal(updated.status, 200);
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const stale = await kube.put(`${cms}/occ`, { ...created, data: { v: '3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(stale.body.message, 'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
  });

  test('an update that changes nothing keeps the resourceVersion', async () => {
    const created = (await kube.post(cms, configMap('same', { v: '1' }))).body;
    const updated = await kube.put(`${cms}/same`, created);
    assert.equal(updated.body.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test('resourceVersions grow across every kind', async () => {
    const a = (await kube.post(cms, configMap('rv-a'))).body;
    const b = (await kube.post('/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, stringData: { x: 'y' } })).body;
    const c = (await kube.post(cms, configMap('rv-c'))).body;
    const rvs = [a, b, c].map((o) => Number(o.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
    assert.equal(new Set(rvs).size, 3);
  });

  test('a name is required, and its absence is Invalid (422) with causes', async () => {
    const res = await kube.post(cms, { data: {} });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.equal(res.body.message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    assert.deepEqual(res.body.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  });

  test('generateName makes a unique name with a random suffix', async () => {
    const res = await kube.post(cms, { metadata: { generateName: 'gen-' } });
    assert.equal(res.status, 201);
    assert.match(res.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('namespaced objects need their namespace to exist', async () => {
    const res = await kube.post('/api/v1/namespaces/missing/configmaps', configMap('x'));
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'namespaces "missing" not found');
  });

  test('malformed JSON, wrong media types, huge bodies and unknown paths get clear 4xx answers', async () => {
    const malformed = await kube.request('POST', cms, '{"metadata": ', { 'Content-Type': 'application/json' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.reason, 'BadRequest');
    const protobuf = await kube.request('POST', cms, 'x', { 'Content-Type': 'application/x-whatever' });
    assert.equal(protobuf.status, 415);
    assert.equal(protobuf.body.reason, 'UnsupportedMediaType');
    const huge = await kube.request('POST', cms, JSON.stringify(configMap('huge', { big: 'x'.repeat(4 * 1024 * 1024) })));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.message, 'Request entity too large: limit is 3145728');
    const unknown = await kube.get('/apis/nope.example.com/v1/things');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'the server could not find the requested resource');
    const notAcceptable = await kube.get(cms, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(notAcceptable.status, 406);
    const method = await kube.request('POST', `${cms}/named`, configMap('named'));
    assert.equal(method.status, 405);
    assert.equal(method.body.reason, 'MethodNotAllowed');
    const wrongKind = await kube.post(cms, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } });
    assert.equal(wrongKind.status, 400);
  });

  test('YAML bodies are accepted and YAML answers given on request', async () => {
    const created = await kube.request('POST', cms, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', { 'Content-Type': 'application/yaml' });
    assert.equal(created.status, 201);
    const yaml = await kube.get(`${cms}/from-yaml`, { Accept: 'application/yaml' });
    assert.match(String(yaml.body), /name: from-yaml/);
    assert.equal(yaml.headers.get('content-type'), 'application/yaml');
  });

  test('label selectors support =, ==, !=, in, notin, exists and !exists', async () => {
    const ns = '/api/v1/namespaces';
    await kube.post(ns, { metadata: { name: 'labels' } });
    const path = `${ns}/labels/configmaps`;
    await kube.post(path, configMap('a', {}, { app: 'web', tier: 'front' }));
    await kube.post(path, configMap('b', {}, { app: 'db' }));
    await kube.post(path, configMap('c', {}, {}));
    const names = async (selector: string) => {
      const res = await kube.get(`${path}?labelSelector=${encodeURIComponent(selector)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    };
    assert.deepEqual(await names('app=web'), ['a']);
    assert.deepEqual(await names('app==db'), ['b']);
    assert.deepEqual(await names('app!=web'), ['b', 'c']);
    assert.deepEqual(await names('app in (web,db)'), ['a', 'b']);
    assert.deepEqual(await names('app notin (web)'), ['b', 'c']);
    assert.deepEqual(await names('tier'), ['a']);
    assert.deepEqual(await names('!tier'), ['b', 'c']);
    assert.deepEqual(await names('app,!tier'), ['b']);
    const bad = await kube.get(`${path}?labelSelector=${encodeURIComponent('app in web')}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /unable to parse requirement/);
  });

  test('field selectors on metadata.name and metadata.namespace, and unknown fields refused', async () => {
    const all = await kube.get('/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault,metadata.name!%3Dalpha');
    assert.equal(all.status, 200);
    assert.ok(all.body.items.length > 0);
    assert.ok(all.body.items.every((i: { metadata: { name: string; namespace: string } }) => i.metadata.namespace === 'default' && i.metadata.name !== 'alpha'));
    const one = await kube.get(`${cms}?fieldSelector=metadata.name%3Dalpha`);
    assert.deepEqual(one.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['alpha']);
    const bad = await kube.get(`${cms}?fieldSelector=spec.foo%3Dbar`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'field label not supported: spec.foo');
  });
});

describe('embedded API server: lists', () => {
  test('pagination returns every object once, in name order, from one snapshot', async () => {
    const kube = await KubeHttp.start();
    try {
      await kube.post('/api/v1/namespaces', { metadata: { name: 'pages' } });
      const path = '/api/v1/namespaces/pages/configmaps';
      for (let i = 0; i < 25; i++) await kube.post(path, configMap(`cm-${String(i).padStart(2, '0')}`));
      const seen: string[] = [];
      let cont = '';
      let first = true;
      let listRv = '';
      do {
        const res = await kube.get(`${path}?limit=10${cont === '' ? '' : `&continue=${encodeURIComponent(cont)}`}`);
        assert.equal(res.status, 200);
        if (first) {
          assert.equal(res.body.metadata.remainingItemCount, 15);
          listRv = res.body.metadata.resourceVersion;
          // A change after the first page does not show in later pages.
          await kube.post(path, configMap('cm-99'));
          await kube.delete(`${path}/cm-20`);
          first = false;
        }
        assert.equal(res.body.metadata.resourceVersion, listRv);
        seen.push(...res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name));
        cont = res.body.metadata.continue ?? '';
      } while (cont !== '');
      assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `cm-${String(i).padStart(2, '0')}`));
    } finally {
      await kube.close();
    }
  });

  test('an expired continue token is 410 Expired and offers an inconsistent continuation', async () => {
    const kube = await KubeHttp.start();
    try {
      for (let i = 0; i < 3; i++) await kube.post(cms, configMap(`e${i}`));
      const page = await kube.get(`${cms}?limit=1`);
      await kube.post(cms, configMap('later'));
      kube.server.compact();
      const res = await kube.get(`${cms}?limit=1&continue=${encodeURIComponent(page.body.metadata.continue)}`);
      assert.equal(res.status, 410);
      assert.equal(res.body.reason, 'Expired');
      assert.match(res.body.message, /^The provided continue parameter is too old/);
      assert.equal(typeof res.body.metadata.continue, 'string');
      const resumed = await kube.get(`${cms}?limit=10&continue=${encodeURIComponent(res.body.metadata.continue)}`);
      assert.equal(resumed.status, 200);
      assert.deepEqual(resumed.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['e1', 'e2', 'later']);
    } finally {
      await kube.close();
    }
  });

  test('a resourceVersion from the future is waited for, then answered 504 Too large resource version', async () => {
    const kube = await KubeHttp.start();
    try {
      const rv = Number((await kube.get(cms)).body.metadata.resourceVersion);
      const later = kube.get(`${cms}?resourceVersion=${rv + 1}`);
      await kube.post(cms, configMap('arrives'));
      assert.equal((await later).status, 200, 'a write reaching the resourceVersion releases the read');
      const res = await kube.get(`${cms}?resourceVersion=${rv + 1000}`);
      assert.equal(res.status, 504);
      assert.equal(res.body.reason, 'Timeout');
      assert.match(res.body.message, /^Timeout: Too large resource version: \d+, current: \d+$/);
      assert.deepEqual(res.body.details.causes, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    } finally {
      await kube.close();
    }
  });

  test('a list answers a Table when kubectl asks for one', async () => {
    const kube = await KubeHttp.start();
    try {
      await kube.post(cms, configMap('t1'));
      const res = await kube.get(cms, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
      assert.equal(res.body.kind, 'Table');
      assert.deepEqual(res.body.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age'], 'kubectl get configmaps columns');
      assert.equal(res.body.rows[0].cells[0], 't1');
      assert.equal(res.body.rows[0].object.kind, 'PartialObjectMetadata');
    } finally {
      await kube.close();
    }
  });
});
