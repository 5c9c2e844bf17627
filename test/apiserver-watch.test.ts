import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configMap, KubeHttp } from './support/kube-http.ts';

describe('embedded API server: watch', () => {
  let kube: KubeHttp;
  let n = 0;
  // Each test uses its own namespace so that events of other tests never interleave.
  const ns = async () => {
    const name = `w${++n}`;
    await kube.post('/api/v1/namespaces', { metadata: { name } });
    return `/api/v1/namespaces/${name}/configmaps`;
  };
  before(async () => {
    kube = await KubeHttp.start({ bookmarkIntervalMs: 100 });
  });
  after(() => kube.close());

  test('a watch without resourceVersion starts with the current objects, then streams changes', async () => {
    const path = await ns();
    await kube.post(path, configMap('existing'));
    const watch = await kube.watch(`${path}?watch=true`);
    assert.equal(watch.status, 200);
    const [initial] = await watch.take(1);
    assert.equal(initial!.type, 'ADDED');
    assert.equal(initial!.object.metadata.name, 'existing');
    const created = (await kube.post(path, configMap('new', { a: '1' }))).body;
    await kube.put(`${path}/new`, { ...created, data: { a: '2' } });
    await kube.delete(`${path}/new`);
    const events = await watch.take(3);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[1]!.object.data.a, '2');
    assert.ok(Number(events[2]!.object.metadata.resourceVersion) > Number(events[1]!.object.metadata.resourceVersion));
    watch.close();
  });

  test('a watch from a resourceVersion replays what happened after it', async () => {
    const path = await ns();
    const first = (await kube.post(path, configMap('one'))).body;
    await kube.post(path, configMap('two'));
    await kube.delete(`${path}/one`);
    const watch = await kube.watch(`${path}?watch=1&resourceVersion=${first.metadata.resourceVersion}`);
    const events = await watch.take(2);
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'two'], ['DELETED', 'one']]);
    watch.close();
  });

  test('a watch from a compacted resourceVersion gets a 410 Expired ERROR event, then the stream ends', async () => {
    const path = await ns();
    const old = (await kube.post(path, configMap('old'))).body;
    await kube.post(path, configMap('newer'));
    kube.server.compact();
    const watch = await kube.watch(`${path}?watch=true&resourceVersion=${old.metadata.resourceVersion}`);
    assert.equal(watch.status, 200);
    const error = await watch.next();
    assert.equal(error!.type, 'ERROR');
    assert.equal(error!.object.kind, 'Status');
    assert.equal(error!.object.code, 410);
    assert.equal(error!.object.reason, 'Expired');
    assert.match(error!.object.message, /^too old resource version: \d+ \(\d+\)$/);
    assert.equal(await watch.next(), undefined);
  });

  test('a watch from a future resourceVersion waits for it, or ends with a 504 ERROR event', async () => {
    const path = await ns();
    await kube.server.settled(); // the namespace's default ServiceAccount takes its resourceVersion first
    const rv = Number((await kube.get(path)).body.metadata.resourceVersion);
    const waiting = kube.watch(`${path}?watch=true&resourceVersion=${rv + 1}`);
    await kube.post(path, configMap('first'));
    await kube.post(path, configMap('second'));
    const watch = await waiting;
    const [event] = await watch.take(1);
    assert.deepEqual([event!.type, event!.object.metadata.name], ['ADDED', 'second']);
    watch.close();
    const far = await kube.watch(`${path}?watch=true&resourceVersion=${rv + 1000}`);
    const error = await far.next(10_000);
    assert.deepEqual([error!.type, error!.object.code, error!.object.reason], ['ERROR', 504, 'Timeout']);
  });

  test('label-selected watches see objects entering and leaving the selection as ADDED and DELETED', async () => {
    const path = await ns();
    const watch = await kube.watch(`${path}?watch=true&labelSelector=app%3Dweb`);
    const cm = (await kube.post(path, configMap('moving', {}, { app: 'db' }))).body;
    const inSel = (await kube.put(`${path}/moving`, { ...cm, metadata: { ...cm.metadata, labels: { app: 'web' } } })).body;
    const stillIn = (await kube.put(`${path}/moving`, { ...inSel, data: { x: '1' } })).body;
    await kube.put(`${path}/moving`, { ...stillIn, metadata: { ...stillIn.metadata, labels: { app: 'db' } } });
    const events = await watch.take(3);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[2]!.object.metadata.labels.app, 'db');
    watch.close();
  });

  test('bookmarks carry only the resourceVersion when allowWatchBookmarks is set', async () => {
    const path = await ns();
    const watch = await kube.watch(`${path}?watch=true&allowWatchBookmarks=true&resourceVersion=${(await kube.get(path)).body.metadata.resourceVersion}`);
    const bookmark = await watch.next(3_000);
    assert.equal(bookmark!.type, 'BOOKMARK');
    assert.deepEqual(Object.keys(bookmark!.object.metadata).sort(), ['creationTimestamp', 'resourceVersion']);
    assert.equal(bookmark!.object.kind, 'ConfigMap');
    watch.close();
  });

  test('sendInitialEvents ends the initial state with an annotated bookmark', async () => {
    const path = await ns();
    await kube.post(path, configMap('a'));
    const watch = await kube.watch(`${path}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const [added, bookmark] = await watch.take(2);
    assert.equal(added!.type, 'ADDED');
    assert.equal(bookmark!.type, 'BOOKMARK');
    assert.equal(bookmark!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    watch.close();
  });

  test('sendInitialEvents=false starts from now, without the current objects', async () => {
    const path = await ns();
    await kube.post(path, configMap('old'));
    const watch = await kube.watch(`${path}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    await kube.post(path, configMap('new'));
    const [event] = await watch.take(1);
    assert.deepEqual([event!.type, event!.object.metadata.name], ['ADDED', 'new']);
    watch.close();
  });

  test('timeoutSeconds ends the stream', async () => {
    const path = await ns();
    const watch = await kube.watch(`${path}?watch=true&timeoutSeconds=1&resourceVersion=1`);
    const started = Date.now();
    for (;;) {
      const e = await watch.next(5_000);
      if (e === undefined) break;
    }
    assert.ok(Date.now() - started < 5_000);
  });

  test('the legacy /watch/ path watches one named object', async () => {
    const path = await ns();
    const namespace = path.split('/')[4];
    await kube.post(path, configMap('target'));
    await kube.post(path, configMap('other'));
    const watch = await kube.watch(`/api/v1/watch/namespaces/${namespace}/configmaps/target`);
    const [first] = await watch.take(1);
    assert.equal(first!.object.metadata.name, 'target');
    await kube.delete(`${path}/other`);
    await kube.delete(`${path}/target`);
    const [next] = await watch.take(1);
    assert.deepEqual([next!.type, next!.object.metadata.name], ['DELETED', 'target']);
    watch.close();
  });

  test('a hundred watchers all receive the same event', async () => {
    const path = await ns();
    const rv = (await kube.get(path)).body.metadata.resourceVersion;
    const watches = await Promise.all(Array.from({ length: 100 }, () => kube.watch(`${path}?watch=true&resourceVersion=${rv}`)));
    await kube.post(path, configMap('fanout'));
    const events = await Promise.all(watches.map((w) => w.next()));
    assert.ok(events.every((e) => e?.type === 'ADDED' && e.object.metadata.name === 'fanout'));
    for (const w of watches) w.close();
  });
});
