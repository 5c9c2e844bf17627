import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { InformerStoppedError, KubeApiError } from './errors.ts';
import { Informer, type InformerEvent } from './informer.ts';
import type { KubeObject } from './kube-object.ts';
import type { KubeLogger } from './logger.ts';
import type { ListerWatcher, ListPage } from './reflector.ts';
import type { WatchStream } from './watch-request.ts';
import type { WatchEvent } from './watch-stream.ts';

// A synthetic API: lists answer from a script, watches are streams the test writes into.
// The embedded API server covers the real protocol (test/kube-informer.test.ts); this covers
// the recovery paths a healthy server never takes on demand.
class ScriptedStream implements WatchStream {
  #queue: (WatchEvent | { end: true } | { error: Error })[] = [];
  #wake: (() => void) | undefined;
  closed = false;
  push(item: WatchEvent | { end: true } | { error: Error }): void {
    this.#queue.push(item);
    this.#wake?.();
  }
  close(): void {
    this.closed = true;
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
    for (;;) {
      if (this.closed) return;
      const item = this.#queue.shift();
      if (!item) {
        await new Promise<void>((r) => (this.#wake = r));
        continue;
      }
      if ('end' in item) return;
      if ('error' in item) throw item.error;
      yield item;
    }
  }
}

class ScriptedApi implements ListerWatcher {
  lists: { limit?: number; continue?: string }[] = [];
  watches: { resourceVersion: string; timeoutSeconds: number }[] = [];
  streams: ScriptedStream[] = [];
  listAnswers: (ListPage | Error)[] = [];
  watchAnswers: (ScriptedStream | Error)[] = [];
  list(options: { limit?: number; continue?: string }): Promise<ListPage> {
    this.lists.push({ ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.continue ? { continue: options.continue } : {}) });
    const answer = this.listAnswers.shift() ?? new Error('no list answer scripted');
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
  watch(options: { resourceVersion: string; timeoutSeconds: number }): Promise<WatchStream> {
    this.watches.push({ resourceVersion: options.resourceVersion, timeoutSeconds: options.timeoutSeconds });
    const answer = this.watchAnswers.shift() ?? new ScriptedStream();
    if (answer instanceof Error) return Promise.reject(answer);
    this.streams.push(answer);
    return Promise.resolve(answer);
  }
}

const cm = (name: string, rv: string, extra: Record<string, unknown> = {}): KubeObject => ({ kind: 'ConfigMap', metadata: { namespace: 'ns', name, resourceVersion: rv }, ...extra });
const ev = (type: WatchEvent['type'], object: KubeObject): WatchEvent => ({ type, object });
const gone = () => new KubeApiError('GET', '/api/v1/configmaps', 410, { kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired', message: 'too old resource version' });

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function setup(api: ScriptedApi, clock = new ManualClock()) {
  const logs: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const logger: KubeLogger = { log: (level, event, fields) => logs.push({ level, event, fields: { ...fields } }) };
  const informer = new Informer('v1/configmaps', api, { clock, logger, reflector: { pageSize: 2, random: () => 0.5 } });
  const events: string[] = [];
  const record = (e: InformerEvent) => events.push(e.type === 'relisted' ? 'relisted' : `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`);
  return { informer, events, record, logs, clock };
}

test('lists in pages, syncs, then applies watch events from the list\'s resourceVersion', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1'), cm('b', '2')], resourceVersion: '5', continue: 'tok' }, { items: [cm('c', '3')], resourceVersion: '5' }];
  const { informer, events, record } = setup(api);
  informer.subscribe(record);
  informer.start();
  await informer.synced();
  assert.deepEqual(api.lists, [{ limit: 2 }, { limit: 2, continue: 'tok' }]);
  assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['a', 'b', 'c']);
  await settle();
  assert.deepEqual(api.watches, [{ resourceVersion: '5', timeoutSeconds: 450 }]);
  const stream = api.streams[0]!;
  stream.push(ev('MODIFIED', cm('a', '6')));
  stream.push(ev('DELETED', cm('b', '7')));
  stream.push(ev('ADDED', cm('d', '8')));
  stream.push(ev('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '12' } }));
  await settle();
  assert.deepEqual(events, ['added a@1', 'added b@2', 'added c@3', 'updated a@6', 'deleted b@7', 'added d@8']);
  assert.equal(informer.get({ namespace: 'ns', name: 'a' })?.metadata?.resourceVersion, '6');
  assert.equal(informer.health().resourceVersion, '12');
  assert.equal(informer.health().state.phase, 'watching');
  await informer.stop();
});

test('a watch that ends cleanly is reopened at once from the last resourceVersion, bookmarks included', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [], resourceVersion: '5' }];
  const { informer } = setup(api);
  informer.start();
  await informer.synced();
  await settle();
  api.streams[0]!.push(ev('BOOKMARK', { metadata: { resourceVersion: '9' } }));
  api.streams[0]!.push({ end: true });
  await settle();
  assert.deepEqual(api.watches.map((w) => w.resourceVersion), ['5', '9']);
  assert.equal(api.lists.length, 1);
  await informer.stop();
});

test('410 Gone relists at once; subscribers get the difference, then relisted', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1'), cm('b', '2')], resourceVersion: '5' }, { items: [cm('a', '1'), cm('c', '30')], resourceVersion: '40' }];
  const { informer, events, record, logs } = setup(api);
  informer.subscribe(record);
  informer.start();
  await informer.synced();
  await settle();
  api.streams[0]!.push(ev('ERROR', { kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired', message: 'too old resource version: 5 (35)' }));
  await settle();
  assert.deepEqual(events, ['added a@1', 'added b@2', 'added c@30', 'deleted b@2', 'relisted']);
  assert.deepEqual(api.watches.map((w) => w.resourceVersion), ['5', '40']);
  assert.ok(logs.some((l) => l.event === 'informer.relist' && l.fields.reason === 'Expired'));
  assert.equal(informer.health().counters.relists, 1);
  await informer.stop();
});

test('a watch request refused with 410 also relists', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [], resourceVersion: '5' }, { items: [], resourceVersion: '50' }];
  api.watchAnswers = [gone()];
  const { informer } = setup(api);
  informer.start();
  await settle();
  assert.equal(api.lists.length, 2);
  assert.deepEqual(api.watches.map((w) => w.resourceVersion), ['5', '50']);
  await informer.stop();
});

test('a broken connection backs off with a growing, visible attempt count, then rewatches without relisting', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1')], resourceVersion: '5' }];
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
  api.watchAnswers = [refused(), refused(), refused()];
  const { informer, logs, clock } = setup(api);
  informer.start();
  await settle();
  const state = informer.health().state;
  assert.equal(state.phase, 'backingOff');
  if (state.phase !== 'backingOff') return;
  assert.deepEqual([state.attempt, state.next, state.lastError.code], [1, 'watch', 'ECONNREFUSED']);
  assert.equal(state.retryAtMs - clock.now(), 375); // 500 ms with jitter 0.5
  await clock.advance(375);
  await settle();
  assert.equal((informer.health().state as { attempt: number }).attempt, 2);
  await clock.advance(750);
  await settle();
  await clock.advance(1_500);
  await settle();
  assert.equal(informer.health().state.phase, 'watching');
  assert.equal(api.lists.length, 1);
  assert.deepEqual(api.watches.map((w) => w.resourceVersion), ['5', '5', '5', '5']);
  assert.deepEqual(logs.filter((l) => l.event === 'informer.backoff').map((l) => l.fields.delayMs), [375, 750, 1500]);
  assert.equal(informer.get({ namespace: 'ns', name: 'a' })?.metadata?.resourceVersion, '1', 'the cache is kept while reconnecting');
  await informer.stop();
});

test('a watch refused for another reason (403) relists after the backoff', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [], resourceVersion: '5' }, { items: [], resourceVersion: '6' }];
  api.watchAnswers = [new KubeApiError('GET', '/api/v1/configmaps', 403, { kind: 'Status', apiVersion: 'v1', reason: 'Forbidden', message: 'no watch for you' })];
  const { informer, clock } = setup(api);
  informer.start();
  await settle();
  const state = informer.health().state;
  assert.deepEqual(state.phase === 'backingOff' && [state.next, state.lastError.status], ['list', 403]);
  await clock.advance(1_000);
  await settle();
  assert.equal(api.lists.length, 2);
  await informer.stop();
});

test('a failed list is retried after a backoff; reads see nothing until the first list', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [new Error('boom'), { items: [cm('a', '1')], resourceVersion: '5' }];
  const { informer, clock } = setup(api);
  informer.start();
  await settle();
  assert.equal(informer.hasSynced, false);
  assert.equal(informer.health().state.phase, 'backingOff');
  assert.deepEqual(informer.list(), []);
  await clock.advance(1_000);
  await informer.synced();
  assert.equal(informer.size, 1);
  await informer.stop();
});

test('a list whose continue token expires is redone in one request', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1'), cm('b', '2')], resourceVersion: '5', continue: 'old' }, gone(), { items: [cm('a', '1'), cm('b', '2'), cm('c', '9')], resourceVersion: '9' }];
  const { informer } = setup(api);
  informer.start();
  await informer.synced();
  assert.deepEqual(api.lists, [{ limit: 2 }, { limit: 2, continue: 'old' }, {}]);
  assert.equal(informer.size, 3);
  await informer.stop();
});

test('watches that close at once without events back off instead of spinning', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [], resourceVersion: '5' }];
  const empty = () => {
    const s = new ScriptedStream();
    s.push({ end: true });
    return s;
  };
  api.watchAnswers = [empty(), empty(), empty()];
  const { informer } = setup(api);
  informer.start();
  await settle();
  assert.equal(api.watches.length, 1);
  const state = informer.health().state;
  assert.deepEqual(state.phase === 'backingOff' && state.lastError.code, 'WATCH_CLOSED_EARLY');
  await informer.stop();
});

test('a late subscriber first gets every cached object, then live changes', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1'), cm('b', '2')], resourceVersion: '5' }];
  const { informer, events, record } = setup(api);
  informer.start();
  await informer.synced();
  await settle();
  informer.subscribe(record);
  api.streams[0]!.push(ev('ADDED', cm('c', '6')));
  await settle();
  assert.deepEqual(events, ['added a@1', 'added b@2', 'added c@6']);
  await informer.stop();
});

test('a throwing subscriber is logged and does not disturb the others', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [cm('a', '1')], resourceVersion: '5' }];
  const { informer, events, record, logs } = setup(api);
  informer.subscribe(() => {
    throw new Error('guest queue full');
  });
  informer.subscribe(record);
  informer.start();
  await informer.synced();
  assert.deepEqual(events, ['added a@1']);
  assert.ok(logs.some((l) => l.event === 'informer.subscriber_failed' && l.fields.error === 'guest queue full'));
  await informer.stop();
});

test('an unsubscribed handler receives nothing more', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [{ items: [], resourceVersion: '5' }];
  const { informer, events, record } = setup(api);
  const unsubscribe = informer.subscribe(record);
  informer.start();
  await informer.synced();
  await settle();
  unsubscribe();
  api.streams[0]!.push(ev('ADDED', cm('x', '6')));
  await settle();
  assert.deepEqual(events, []);
  assert.equal(informer.size, 1);
  await informer.stop();
});

test('stopping before the first list rejects synced() and closes the watch', async () => {
  const api = new ScriptedApi();
  api.listAnswers = [new Error('unreachable')];
  const { informer } = setup(api);
  informer.start();
  await settle();
  await informer.stop();
  await assert.rejects(informer.synced(), InformerStoppedError);
  assert.equal(informer.health().state.phase, 'stopped');

  const api2 = new ScriptedApi();
  api2.listAnswers = [{ items: [], resourceVersion: '1' }];
  const second = setup(api2).informer;
  second.start();
  await second.synced();
  await settle();
  await second.stop();
  assert.equal(api2.streams[0]!.closed, true);
});
