import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventHistory } from './event-history.ts';
import { StoredObject, type StoreEvent } from './stored-object.ts';

function event(rv: number, timeMs = 0): StoreEvent {
  return { type: 'ADDED', rv, storage: 'configmaps', key: `default/c${rv}`, object: new StoredObject({ metadata: { name: `c${rv}` } }, rv), prev: undefined, timeMs };
}

test('since returns the events after a revision, in order', () => {
  const h = new EventHistory();
  h.append([event(1), event(2), event(5)]);
  assert.deepEqual((h.since(1) as StoreEvent[]).map((e) => e.rv), [2, 5]);
  assert.deepEqual(h.since(5), []);
  assert.deepEqual((h.since(0) as StoreEvent[]).map((e) => e.rv), [1, 2, 5]);
});

test('compaction by count and age forgets the oldest events, and older revisions expire', () => {
  const h = new EventHistory();
  h.append([event(1, 0), event(2, 10), event(3, 20), event(4, 30)]);
  assert.equal(h.compact({ maxEvents: 3, maxAgeMs: 1_000 }, 30), 1);
  assert.equal(h.since(0), 'expired');
  assert.deepEqual((h.since(1) as StoreEvent[]).map((e) => e.rv), [2, 3, 4]);
  assert.equal(h.compact({ maxEvents: 10, maxAgeMs: 15 }, 30), 2, 'events older than 15 ms at t=30 go');
  assert.equal(h.compact({ maxEvents: 10, maxAgeMs: 15 }, 30), undefined, 'nothing more to forget');
});

test('forced compaction covers revisions without events', () => {
  const h = new EventHistory();
  h.append([event(1), event(2)]);
  assert.equal(h.compactTo(7), 7);
  assert.equal(h.size, 0);
  assert.equal(h.since(6), 'expired');
  assert.deepEqual(h.since(7), []);
});
