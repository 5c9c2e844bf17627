import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat } from '../../../test/support/wat.ts';
import { ByteReader } from '../binary/byte-reader.ts';
import { parseModule, sectionId } from '../binary/module-parser.ts';
import { readLocals } from './body-rewriter.ts';
import { surveyLoops } from './loop-survey.ts';
import type { LoopPlan } from './loop-survey.ts';

/** The plan of every loop of `func` (the module's second function, after `$callee`), in the order the loops start. */
async function survey(func: string): Promise<{ code: Uint8Array; plans: LoopPlan[] }> {
  const parsed = parseModule(await wat(`(module (func $callee) ${func})`));
  const code = parsed.sections.find((s) => s.id === sectionId.code)!.content;
  const r = new ByteReader(code);
  r.u32();
  r.skip(r.u32()); // $callee
  const size = r.u32();
  const body = new ByteReader(code, r.pos, r.pos + size);
  readLocals(body, 0);
  return { code, plans: [...surveyLoops(code, body.pos, body.end)].sort(([a], [b]) => a - b).map(([, plan]) => plan) };
}

async function plans(func: string): Promise<LoopPlan['kind'][]> {
  return (await survey(func)).plans.map((plan) => plan.kind);
}

const counted = (start: number, step: number, compare: string, limit: number) =>
  `(func (local $x i32) (local $sum i32) (local.set $x (i32.const ${start}))
    (loop $l (local.set $sum (i32.add (local.get $sum) (local.get $x)))
      (br_if $l (i32.${compare} (local.tee $x (i32.add (local.get $x) (i32.const ${step}))) (i32.const ${limit})))))`;

test('a counted loop with a small constant trip count is bounded', async () => {
  assert.deepEqual(await plans(counted(0, 32, 'ne', 512)), ['bounded']);
  assert.deepEqual(await plans(counted(0, 1, 'lt_u', 16)), ['bounded']);
  assert.deepEqual(await plans(counted(30, -1, 'gt_s', 20)), ['bounded']);
});

test('a counted loop past the limit, or one that never meets its limit, is not bounded', async () => {
  assert.deepEqual(await plans(counted(0, 1, 'lt_u', 17)), ['leaf']);
  assert.deepEqual(await plans(counted(1, 32, 'ne', 512)), ['leaf'], 'steps of 32 from 1 never reach 512');
  assert.deepEqual(await plans(counted(0, 0, 'lt_u', 10)), ['leaf'], 'a step of 0 spins forever');
  assert.deepEqual(await plans(counted(10, 1, 'ne', 5)), ['leaf'], 'it goes round until x wraps around');
});

test('a counted loop with a large body is not bounded, however few its trips', async () => {
  const work = '(local.set $sum (i32.add (local.get $sum) (local.get $x)))'.repeat(16); // 4 instructions each
  assert.deepEqual(await plans(`(func (local $x i32) (local $sum i32) (local.set $x (i32.const 0))
    (loop $l ${work}
      (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 4)))))`), ['leaf']);
});

test('a counted loop is not bounded when its start is unknown on entry', async () => {
  assert.deepEqual(await plans(`(func (param $x i32)
    (loop $l (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10)))))`), ['leaf']);
  assert.deepEqual(await plans(`(func (param $c i32) (local $x i32) (local.set $x (i32.const 0))
    (if (local.get $c) (then (local.set $x (i32.const 5000000))))
    (loop $l (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10)))))`), ['leaf'],
    'a branch that joins before the loop may have changed it');
});

test('a counted loop is not bounded when its counter is written elsewhere or it has another way round', async () => {
  assert.deepEqual(await plans(`(func (local $x i32) (local.set $x (i32.const 0))
    (loop $l (local.set $x (i32.const 0))
      (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10)))))`), ['leaf']);
  assert.deepEqual(await plans(`(func (param $c i32) (local $x i32) (local.set $x (i32.const 0))
    (loop $l (br_if $l (local.get $c))
      (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10)))))`), ['leaf']);
});

test('a loop with a call or an inner loop is an outer loop; only an innermost call-free loop can be bounded', async () => {
  assert.deepEqual(await plans(`(func (local $x i32) (local.set $x (i32.const 0))
    (loop $l (call $callee) (br_if $l (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10)))))`), ['outer']);
  assert.deepEqual(await plans(`(func (local $i i32) (local $x i32)
    (loop $outer (local.set $x (i32.const 0))
      (loop $inner (br_if $inner (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 10))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10)))))`), ['outer', 'bounded']);
});

test('an outer loop names its final back-edge only when it is the only one', async () => {
  const { code, plans: [a, b] } = await survey(`(func (param $c i32) (loop $a (call $callee) (br_if $a (local.get $c)))
    (loop $b (call $callee) (br_if $b (local.get $c)) (br_if $b (local.get $c))))`);
  assert.ok(a?.kind === 'outer' && a.backEdge !== undefined && code[a.backEdge] === 0x0d, 'the offset of its br_if');
  assert.deepEqual(b, { kind: 'outer', backEdge: undefined });
});
