import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wat, wasmText } from '../../../test/support/wat.ts';
import { parseModule } from '../binary/module-parser.ts';
import { loopBudget } from './code-rewriter.ts';
import type { RewriteRejection } from './rewrite-rejection.ts';
import { engineImportModule, memoryExportName, rewriteModule, startExportName } from './rewrite-module.ts';
import type { RewrittenModule } from './rewrite-module.ts';

async function rewrite(text: string, maxMemoryPages = 16): Promise<RewrittenModule> {
  const rewritten = rewriteModule(parseModule(await wat(text)), { maxMemoryPages });
  assert.ok(WebAssembly.validate(rewritten.bytes), 'the rewritten module validates');
  return rewritten;
}

/** Instantiates a rewritten module with engine imports that count refuels (returning `fuel` each time). */
function instantiate(rewritten: RewrittenModule, imports: Record<string, Record<string, unknown>> = {}, fuel = 1) {
  const counters = { refuels: 0, growFailures: [] as number[] };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(rewritten.bytes), {
    ...imports,
    [engineImportModule]: {
      refuel: () => {
        // A rewriting bug that misdirects a branch shows up as a guest that never finishes.
        if (++counters.refuels > 1_000_000) throw new Error('the guest runs away');
        return fuel;
      },
      grow_failed: (pages: number) => counters.growFailures.push(pages),
    },
  });
  return { exports: instance.exports as Record<string, (...args: unknown[]) => unknown>, counters };
}

const sample = `(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (global $counter (mut i32) (i32.const 5))
  (global $big (mut i64) (i64.const -2))
  (global $ratio (mut f32) (f32.const 0.5))
  (global $fn funcref (ref.func $two))
  (global $fixed i32 (i32.const 9))
  (table 2 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $init global.get $counter i32.const 10 i32.add global.set $counter)
  (start $init)
  (func (export "counter") (result i32) global.get $counter)
  (func (export "indirect") (param i32) (result i32) local.get 0 call_indirect (result i32))
  (func (export "loop") (param i32) (result i32) (local i32)
    (loop $again local.get 1 i32.const 1 i32.add local.tee 1 local.get 0 i32.lt_s br_if $again)
    local.get 1 call $log local.get 1)
  (func (export "leaf") (param i32) (result i32) local.get 0 i32.const 3 i32.mul)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
)`;

test('the start function becomes an export and no longer runs at instantiation', async () => {
  const rewritten = await rewrite(sample);
  assert.equal(rewritten.startExport, startExportName);
  const { exports } = instantiate(rewritten, { env: { log: () => {} } });
  assert.equal(exports.counter!(), 5);
  exports[startExportName]!();
  assert.equal(exports.counter!(), 15);
});

test('every mutable global gets a getter and a setter, immutable ones none', async () => {
  const rewritten = await rewrite(sample);
  assert.deepEqual(rewritten.stateGlobals.map((g) => [g.index, g.type]), [[0, 'i32'], [1, 'i64'], [2, 'f32']]);
  const { exports } = instantiate(rewritten, { env: { log: () => {} } });
  const [counter, big, ratio] = rewritten.stateGlobals;
  assert.equal(exports[big!.getter]!(), -2n);
  exports[counter!.setter]!(41);
  assert.equal(exports.counter!(), 41);
  assert.equal(exports[ratio!.getter]!(), 0x3f000000, 'a float travels as its bits');
});

test('float globals keep NaN payloads through their accessors', async () => {
  const rewritten = await rewrite('(module (memory 1) (global (mut f64) (f64.const 0)) (global (mut f32) (f32.const 0)))');
  const { exports } = instantiate(rewritten);
  const [wide, narrow] = rewritten.stateGlobals;
  exports[wide!.setter]!(0x7ff4_0000_0000_0123n);
  exports[narrow!.setter]!(0x7fa0_0042);
  assert.equal(exports[wide!.getter]!(), 0x7ff4_0000_0000_0123n);
  assert.equal(exports[narrow!.getter]!(), 0x7fa0_0042);
});

test('function references survive the renumbering that the added imports cause', async () => {
  const rewritten = await rewrite(sample);
  const { exports } = instantiate(rewritten, { env: { log: () => {} } });
  assert.equal(exports.indirect!(0), 1);
  assert.equal(exports.indirect!(1), 2);
  const text = await wasmText(rewritten.bytes);
  assert.match(text, /\(func \$two \(type 1\)/, 'the name section is renumbered with the functions');
  assert.match(text, /\(global \$fn funcref \(ref\.func 4\)\)/, '$two moved from index 2 to 4');
});

test('loops and calling functions take ticks; leaf functions do not', async () => {
  const rewritten = await rewrite(sample);
  const logged: number[] = [];
  const { exports, counters } = instantiate(rewritten, { env: { log: (n: number) => logged.push(n) } });
  assert.equal(exports.loop!(1000), 1000);
  assert.deepEqual(logged, [1000]);
  // Each refuel grants one tick: one per loop budget (calling only the host takes none at entry).
  assert.equal(counters.refuels, Math.floor((1000 - 1) / (loopBudget - 1)));
  counters.refuels = 0;
  for (let i = 0; i < 10; i++) exports.indirect!(i % 2);
  assert.equal(counters.refuels, 10, 'a function that calls the guest takes a tick at entry');
  counters.refuels = 0;
  for (let i = 0; i < 10; i++) exports.leaf!(i);
  assert.equal(counters.refuels, 0);
});

test('branches out of nested wrapped loops still reach their targets', async () => {
  const rewritten = await rewrite(`(module (memory 1)
    (func (export "search") (param $rows i32) (param $cols i32) (param $want i32) (result i32) (local $i i32) (local $j i32)
      (block $found (result i32)
        (loop $outer
          (local.set $j (i32.const 0))
          (block $next_row
            (loop $inner
              (br_if $found (i32.add (i32.mul (local.get $i) (i32.const 100)) (local.get $j))
                (i32.eq (i32.add (i32.mul (local.get $i) (i32.const 100)) (local.get $j)) (local.get $want)))
              (drop)
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_table $inner $next_row (i32.ge_u (local.get $j) (local.get $cols)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $outer (i32.lt_u (local.get $i) (local.get $rows))))
        (i32.const -1)))
    (func (export "sum_to") (param $n i32) (result i32) (local $s i32)
      (loop $l (result i32)
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l)
        (local.get $s)))
    (func (export "count_down") (param $n i32) (result i32)
      (local.get $n)
      (loop $l (param i32) (result i32)
        (i32.sub (i32.const 1))
        (local.tee $n)
        (local.get $n)
        (br_if $l)
        (drop) (i32.const 42))))`);
  const { exports } = instantiate(rewritten, {}, 3);
  assert.equal(exports.search!(50, 60, 4321), 4321);
  assert.equal(exports.search!(50, 60, 9999), -1);
  assert.equal(exports.sum_to!(5000), 12502500);
  assert.equal(exports.count_down!(5000), 42, 'a loop with parameters keeps its check inside');
});

test('a failed memory.grow is reported to the host, and the memory maximum is capped', async () => {
  const rewritten = await rewrite(sample, 4);
  const { exports, counters } = instantiate(rewritten, { env: { log: () => {} } });
  assert.equal(exports.grow!(2), 1);
  assert.deepEqual(counters.growFailures, []);
  assert.equal(exports.grow!(2), -1, 'the guest still sees -1 if the host lets it continue');
  assert.deepEqual(counters.growFailures, [2]);
  assert.match(await wasmText(rewritten.bytes), /\(memory \(;0;\) 1 4\)/);
});

test('a declared maximum below the limit is kept', async () => {
  const rewritten = await rewrite('(module (memory 1 2))', 16);
  assert.match(await wasmText(rewritten.bytes), /\(memory \(;0;\) 1 2\)/);
});

test('a memory that starts above the limit is refused', async () => {
  assert.throws(() => rewriteModule(parseModule(new Uint8Array(0)), { maxMemoryPages: 1 }));
  const bytes = await wat('(module (memory 8))');
  assert.throws(() => rewriteModule(parseModule(bytes), { maxMemoryPages: 4 }),
    (err: RewriteRejection) => err.code === 'MODULE_MEMORY_TOO_LARGE' && /starts at 8 pages/.test(err.message));
});

test('the memory is exported under the engine name, and exported tables are hidden', async () => {
  const rewritten = await rewrite('(module (memory 1) (table (export "table") 1 funcref) (func (export "f")))');
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(rewritten.bytes)).map((e) => e.name);
  assert.ok(exports.includes(memoryExportName));
  assert.ok(exports.includes('f'));
  assert.ok(!exports.includes('table'));
});

for (const [instruction, body] of [
  ['table.set', 'i32.const 0 ref.null func table.set 0'],
  ['table.grow', 'ref.null func i32.const 1 table.grow 0 drop'],
  ['table.fill', 'i32.const 0 ref.null func i32.const 1 table.fill 0'],
  ['table.copy', 'i32.const 0 i32.const 0 i32.const 0 table.copy'],
  ['table.init', 'i32.const 0 i32.const 0 i32.const 0 table.init 0'],
] as const) {
  test(`a module that uses ${instruction} is refused: its tables could change at run time`, async () => {
    const bytes = await wat(`(module (memory 1) (table 2 funcref) (elem func $f) (func $f ${body}))`);
    assert.throws(() => rewriteModule(parseModule(bytes), { maxMemoryPages: 4 }),
      (err: RewriteRejection) => err.code === 'MODULE_TABLE_MUTABLE' && err.message.includes(instruction));
  });
}

test('mutable v128 globals are refused: a snapshot cannot read them', async () => {
  const bytes = await wat('(module (memory 1) (global (mut v128) (v128.const i32x4 0 0 0 0)))');
  assert.throws(() => rewriteModule(parseModule(bytes), { maxMemoryPages: 4 }), { code: 'MODULE_UNSUPPORTED' });
});

test('SIMD, bulk memory, tail calls and exceptions pass through intact', async () => {
  const rewritten = await rewrite(`(module (memory 1) (tag $oops)
    (func $sum (param i32) (result i32) local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub return_call $sum end)
    (func (export "simd") (result i32) v128.const i32x4 1 2 3 4 v128.const i32x4 10 20 30 40 i32x4.add i32x4.extract_lane 3)
    (func (export "bulk") (result i32) i32.const 0 i32.const 7 i32.const 16 memory.fill i32.const 16 i32.const 0 i32.const 16 memory.copy i32.const 31 i32.load8_u)
    (func (export "tail") (result i32) i32.const 100000 call $sum)
    (func (export "caught") (result i32) (try (result i32) (do throw $oops) (catch $oops i32.const 7))))`);
  const { exports } = instantiate(rewritten, {}, 1000);
  assert.equal(exports.simd!(), 44);
  assert.equal(exports.bulk!(), 7);
  assert.equal(exports.tail!(), 0);
  assert.equal(exports.caught!(), 7);
});
