import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../log/index.ts';
import type { HostClock } from './host-clock.ts';
import { IdleCollector } from './idle-collector.ts';

/** A host clock whose timers fire only when the test moves time. */
function manualHostClock() {
  let nowMs = 0;
  let timers: { atMs: number; callback: () => void }[] = [];
  const clock: HostClock = {
    now: () => nowMs,
    wallNow: () => nowMs,
    at(atMs, callback) {
      const timer = { atMs, callback };
      timers.push(timer);
      return { cancel: () => (timers = timers.filter((t) => t !== timer)) };
    },
  };
  const advanceTo = (atMs: number) => {
    for (;;) {
      const due = timers.filter((t) => t.atMs <= atMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (due === undefined) break;
      timers = timers.filter((t) => t !== due);
      nowMs = due.atMs;
      due.callback();
    }
    nowMs = atMs;
  };
  return { clock, advanceTo, pending: () => timers.length };
}

function setup(busy: () => boolean = () => false) {
  const time = manualHostClock();
  const collections: number[] = [];
  const collector = new IdleCollector({ clock: time.clock, delayMs: 1_000, busy, collect: () => collections.push(time.clock.now()), logger: silentLogger });
  return { ...time, collector, collections };
}

test('collects once, a quiet second after the last of several wakes and suspends', () => {
  const { collector, collections, advanceTo } = setup();
  collector.poke();
  advanceTo(600);
  collector.poke();
  advanceTo(1_500);
  assert.deepEqual(collections, []);
  advanceTo(10_000);
  assert.deepEqual(collections, [1_600]);
});

test('never collects on its own: an idle host with nothing new to free is left alone', () => {
  const { collections, advanceTo, pending } = setup();
  advanceTo(60_000);
  assert.deepEqual(collections, []);
  assert.equal(pending(), 0);
});

test('waits while an operator is busy, then collects', () => {
  let busy = true;
  const { collector, collections, advanceTo } = setup(() => busy);
  collector.poke();
  advanceTo(2_500);
  assert.deepEqual(collections, []);
  busy = false;
  advanceTo(3_000);
  assert.deepEqual(collections, [3_000]);
});

test('stop() cancels a pending collection, and later pokes do nothing', () => {
  const { collector, collections, advanceTo, pending } = setup();
  collector.poke();
  collector.stop();
  collector.poke();
  advanceTo(5_000);
  assert.deepEqual(collections, []);
  assert.equal(pending(), 0);
});
