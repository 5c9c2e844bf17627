/**
 * The experiment that decides whether Go operators can sleep on disk: a Go reactor
 * (GOOS=wasip1, -buildmode=c-shared, //go:wasmimport + //go:wasmexport) runs under JSPI, is
 * snapshotted (all linear memory and every mutable global) between calls, restored into a
 * fresh instance that never runs `_initialize`, and must go on exactly as a twin that was
 * never suspended: parked goroutines, the scheduler, the collector, maps, timers and the
 * runtime's random state all live in memory and globals. Guest: test/guests/go/runtime-probe.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildGoGuest } from './support/go-guests.ts';
import { ProbeInstance, ProbeModule, VirtualClock } from './support/go-probe-instance.ts';

interface StepReport {
  k: number; waited: number; mapLen: number; liveOK: boolean; numGC: number; fired: number[];
  ticksAdvanced: boolean; longTimerStopped: boolean; goroutines: number; initRuns: number;
}

let probe: ProbeModule;
before(async () => {
  probe = new ProbeModule(await buildGoGuest('test/guests/go/runtime-probe'));
});

test('a Go wasmexport called through promising waits on a JSPI import and goes on', async () => {
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
  const restored: StepReport[] = [];
  for (let k = 1; k <= 12; k++) {
    await Promise.all([twin.call('step', k), subject.call('step', k)]);
    restored.push(subject.reports.at(-1) as StepReport);
    assert.deepEqual(subject.reports.at(-1), twin.reports.at(-1), `step ${k}`);
    subject = ProbeInstance.restore(probe, clocks.subject, subject.snapshot());
  }
  const last = restored.at(-1)!;
  assert.deepEqual(last.fired, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'each timer armed before a snapshot fired after the restore');
  assert.ok(last.numGC >= 12 && last.liveOK && last.ticksAdvanced && last.longTimerStopped);
  assert.equal(last.initRuns, 1);
  const [a, b] = [twin.snapshot(), subject.snapshot()];
  assert.deepEqual(b.globals, a.globals);
  assert.ok(Buffer.from(b.memory).equals(a.memory), 'final memory differs');
});

test('a monotonic clock that goes back across a restore stalls the Go scheduler until the old deadlines', async () => {
  // What a host must prevent: restored on another machine, or after a reboot, the guest's
  // monotonic clock must resume where the snapshot left it, since Go's timers are deadlines on it.
  const run = async (shiftNs: bigint) => {
    const clock = new VirtualClock();
    clock.maxSleepNs = 1_000_000_000n;
    const first = await ProbeInstance.start(probe, clock);
    await first.call('start_workers', 1);
    await first.call('step', 1);
    clock.shift(shiftNs);
    const restored = ProbeInstance.restore(probe, clock, first.snapshot());
    await restored.call('step', 2);
    return restored.reports.at(-1) as StepReport;
  };
  assert.deepEqual((await run(60_000_000_000n)).fired, [1], 'a clock that moved on: the timer armed before the snapshot fires');
  await assert.rejects(run(-3_600_000_000_000n), /the guest asked to sleep 3600(\.\d+)? s/);
});
