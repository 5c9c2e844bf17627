/**
 * The fuel checks stop every kind of endless guest code, whatever shape the rewriter gave its
 * loops: each test's `refuel` throws after a few refills, standing in for a passed deadline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat, wasmText } from '../../../test/support/wat.ts';
import { ByteReader } from '../binary/byte-reader.ts';
import { parseModule, sectionId } from '../binary/module-parser.ts';
import { engineImportModule, rewriteModule } from './rewrite-module.ts';

class Deadline extends Error {}

/** Instantiates the rewritten module; `refuel` grants `fuel` ticks `refills` times, then throws. */
async function instantiate(text: string, refills = 3, fuel = 100) {
  const rewritten = rewriteModule(parseModule(await wat(text)), { maxMemoryPages: 4 });
  const counters = { refuels: 0 };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(rewritten.bytes), {
    [engineImportModule]: {
      refuel: () => {
        if (++counters.refuels > refills) throw new Deadline('deadline passed');
        return fuel;
      },
      grow_failed: () => {},
    },
  });
  return { exports: instance.exports as Record<string, (...args: number[]) => number>, counters, bytes: rewritten.bytes };
}

test('endless mutual recursion f -> g -> f is stopped (tail calls: no stack overflow to help)', async () => {
  const { exports } = await instantiate(`(module (memory 1)
    (func $f (export "f") (param i32) (result i32) (return_call $g (i32.add (local.get 0) (i32.const 1))))
    (func $g (param i32) (result i32) (return_call $f (i32.mul (local.get 0) (i32.const 3)))))`);
  assert.throws(() => exports.f!(1), Deadline);
});

test('endless recursion through call_indirect is stopped', async () => {
  const { exports } = await instantiate(`(module (memory 1) (type $t (func (param i32) (result i32))) (table 1 funcref) (elem (i32.const 0) $f)
    (func $f (export "f") (param i32) (result i32) (return_call_indirect (type $t) (i32.add (local.get 0) (i32.const 1)) (i32.const 0))))`);
  assert.throws(() => exports.f!(1), Deadline);
});

test('wide recursion that would take forever, though never deep, is stopped', async () => {
  const { exports } = await instantiate(`(module (memory 1)
    (func $twice (export "twice") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
        (else (i32.add (call $twice (i32.sub (local.get 0) (i32.const 1))) (call $twice (i32.sub (local.get 0) (i32.const 1))))))))`);
  assert.throws(() => exports.twice!(60), Deadline);
});

test('an endless loop around a bounded inner loop is stopped on its back-edge', async () => {
  const { exports, bytes } = await instantiate(`(module (memory 1)
    (func (export "spin") (param $c i32) (result i32) (local $x i32) (local $sum i32)
      (loop $outer
        (local.set $x (i32.const 0))
        (loop $inner
          (local.set $sum (i32.add (local.get $sum) (local.get $x)))
          (br_if $inner (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 16))))
        (br_if $outer (local.get $c)))
      (local.get $sum)))`);
  assert.equal(exports.spin!(0), 120, 'both loops compute what they did');
  assert.throws(() => exports.spin!(1), Deadline);
  assert.equal((await wasmText(bytes)).match(/\bloop\b/g)?.length, 2, 'no wrapper: the inner loop is bounded, the outer one checked in place');
});

test('a guest that catches the deadline exception is asked again at its next check', async () => {
  const { exports, counters } = await instantiate(`(module (memory 1)
    (func $work (param $n i32) (result i32) (local $i i32)
      (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $i))
    (func (export "stubborn") (result i32) (local $caught i32)
      (loop $again
        (try (do (drop (call $work (i32.const 1000))))
          (catch_all (local.set $caught (i32.add (local.get $caught) (i32.const 1)))))
        (br_if $again (i32.lt_u (local.get $caught) (i32.const 5))))
      (local.get $caught)))`, 1, 1);
  assert.equal(exports.stubborn!(), 5, 'the loop in $work ran out of budget and hit the deadline on every call');
  assert.equal(counters.refuels, 6, 'the entry tick, then one refuel per call of $work');
});

test('every branch hint marks an injected if or br_if of the body it names', async () => {
  const { bytes } = await instantiate(`(module (memory 1)
    (func $leaf (param $n i32) (result i32) (local $i i32)
      (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))) (local.get $i))
    (func (export "outer") (param $n i32) (result i32) (local $i i32) (local $sum i32)
      (loop $l (local.set $sum (i32.add (local.get $sum) (call $leaf (local.get $i))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $sum)))`);
  const parsed = parseModule(bytes);
  const hints = parsed.sections.find((s) => s.id === sectionId.custom && s.name === 'metadata.code.branch_hint');
  assert.ok(hints !== undefined, 'the section is there');
  assert.ok(parsed.sections.indexOf(hints) === parsed.sections.findIndex((s) => s.id === sectionId.code) - 1, 'right before the code section');
  const code = new ByteReader(parsed.sections.find((s) => s.id === sectionId.code)!.content);
  const bodies = code.vec((r) => r.take(r.u32()));
  const firstBody = parsed.importCounts.func;
  const r = new ByteReader(hints.content);
  let hinted = 0;
  for (let functions = r.u32(); functions > 0; functions--) {
    const body = bodies[r.u32() - firstBody]!;
    for (let n = r.u32(); n > 0; n--, hinted++) {
      const offset = r.u32();
      assert.equal(r.u32(), 1);
      assert.equal(r.u8(), 0, 'unlikely');
      assert.ok(body[offset] === 0x04 || body[offset] === 0x0d, `offset ${offset} is an if or a br_if`);
    }
  }
  // $leaf: its loop's check; "outer": the entry tick and the back-edge check; tick: its refuel.
  assert.equal(hinted, 4);
});
