/**
 * Whether Go operators can sleep on disk: a Go reactor (GOOS=wasip1, -buildmode=c-shared,
 * //go:wasmimport + //go:wasmexport) runs in the host's wasm engine under JSPI, is snapshotted
 * (all linear memory and every mutable global) between calls, restored into a fresh instance
 * that never runs `_initialize`, and must go on exactly as a twin that was never suspended:
 * parked goroutines, the scheduler, the collector, maps, timers and the runtime's random state
 * all live in memory and globals. Guest: test/guests/go/runtime-probe.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MemorySnapshotStore } from '../src/wasm/index.ts';
import { buildGoGuest } from './support/go-guests.ts';
import { GoProbe, ProbeInstance, VirtualClock } from './support/go-probe.ts';

interface StepReport {
  k: number; waited: number; mapLen: number; liveOK: boolean; numGC: number; fired: number[];
  ticksAdvanced: boolean; longTimerStopped: boolean; goroutines: number; initRuns: number;
}

let probe: GoProbe;
before(async () => {
  probe = await GoProbe.load(await buildGoGuest('test/guests/go/runtime-probe'));
});

test('Go\'s _initialize (which sleeps through poll_oneoff) runs through the engine, and a wasmexport waits on a JSPI import', async () => {
  const instance = await ProbeInstance.start(probe, new VirtualClock());
  await instance.call('start_workers', 4);
  const size = await instance.call('step', 3);
  const [report] = instance.reports as StepReport[];
  assert.equal(report?.waited, 22, 'the suspending import answered');
  assert.equal(size, report?.mapLen);
  assert.equal(report?.goroutines, 6, 'main, four workers and the ticker');
  assert.equal(report?.liveOK, true);
  assert.equal(report?.initRuns, 1, '_initialize ran package init once');
});

test('restored into fresh instances at every step, the Go runtime matches its never-suspended twin byte for byte', async () => {
  const clocks = { twin: new VirtualClock(), subject: new VirtualClock() };
  const twin = await ProbeInstance.start(probe, clocks.twin, 42);
  let subject = await ProbeInstance.start(probe, clocks.subject, 42);
  await Promise.all([twin.call('start_workers', 4), subject.call('start_workers', 4)]);
  const [twinStore, store] = [new MemorySnapshotStore(), new MemorySnapshotStore()];
  const restored: StepReport[] = [];
  for (let k = 1; k <= 12; k++) {
    await Promise.all([twin.call('step', k), subject.call('step', k)]);
    restored.push(subject.reports.at(-1) as StepReport);
    assert.deepEqual(subject.reports.at(-1), twin.reports.at(-1), `step ${k}`);
    // The twin is snapshotted too, never restored: a snapshot reads the guest's clock, so both clocks stay alike.
    await twin.snapshot(twinStore);
    subject = await subject.suspendAndRestore(store, clocks.subject);
  }
  const last = restored.at(-1)!;
  assert.deepEqual(last.fired, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'each timer armed before a snapshot fired after the restore');
  assert.ok(last.numGC >= 12 && last.liveOK && last.ticksAdvanced && last.longTimerStopped);
  assert.equal(last.initRuns, 1);
  const [a, b] = [twin.state(), subject.state()];
  assert.deepEqual(b.globals, a.globals);
  assert.ok(Buffer.from(b.memory).equals(a.memory), 'final memory differs');
});

test('restored on a machine whose monotonic clock has another origin, the guest\'s clock continues and its timers fire', async () => {
  // Go's timers are deadlines on the monotonic clock: if it went back across a restore, the
  // scheduler would sleep until the old deadlines (an hour here; the clock refuses sleeps over 1 s).
  const run = async (shiftNs: bigint) => {
    const clock = new VirtualClock();
    clock.maxSleepNs = 1_000_000_000n;
    const first = await ProbeInstance.start(probe, clock);
    await first.call('start_workers', 1);
    await first.call('step', 1);
    const elsewhere = new VirtualClock();
    elsewhere.maxSleepNs = 1_000_000_000n;
    elsewhere.shift(shiftNs);
    const restored = await first.suspendAndRestore(new MemorySnapshotStore(), elsewhere);
    await restored.call('step', 2);
    return restored.reports.at(-1) as StepReport;
  };
  assert.deepEqual((await run(-3_600_000_000_000n)).fired, [1], 'an hour behind: the timer armed before the snapshot fires');
  assert.deepEqual((await run(3_600_000_000_000n)).fired, [1], 'an hour ahead: the same');
});
