/**
 * Rewrites the code section (each body through BodyRewriter) and builds the bodies of the
 * functions the rewriter adds.
 *
 * Fuel is counted at two levels so that a tight loop pays almost nothing:
 * - a module-private global counts "ticks"; when it reaches zero the host's `refuel` import
 *   is called, which returns a new allowance or throws because the call's deadline passed;
 * - every function that loops gets a local loop budget. A loop check only decrements that
 *   local; when it runs out, the injected `tick` function takes one tick from the global and
 *   returns `loopBudget` more iterations. Where each loop is checked (or, for loops with a
 *   small constant trip count, not at all) is up to body-rewriter.ts and loop-survey.ts.
 * Every function that calls another of the guest's functions also takes one tick at its
 * entry, so endless recursion is caught too. A function that neither loops nor calls the
 * guest always finishes and is left alone.
 *
 * Every injected branch that leads to `refuel` or `tick` is marked unlikely in a branch-hint
 * section (`metadata.code.branch_hint`, which V8 reads): V8 then moves those calls out of
 * line and keeps the loop's values in registers instead of spilling them around the call.
 * Measured without the hints: the sieve of the CPU-heavy guest ran 25% slower.
 */
import { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { op } from '../binary/instructions.ts';
import { BodyRewriter, readLocals } from './body-rewriter.ts';
import type { InjectedIndices } from './body-rewriter.ts';

/** Loop iterations one tick buys. */
export const loopBudget = 256;

/**
 * `if (fuel == 0) fuel = refuel(); fuel -= 1;` Checking before decrementing matters: if
 * refuel throws and the guest catches the exception (wasm exception handling can catch host
 * exceptions), fuel is still 0, so the very next check asks the host again.
 */
function takeTick(w: ByteWriter, ix: InjectedIndices): ByteWriter {
  return w
    .u8(op.globalGet).u32(ix.fuelGlobal).u8(op.i32Eqz)
    .u8(op.if).u8(0x40).u8(op.call).u32(ix.refuelFunction).u8(op.globalSet).u32(ix.fuelGlobal).u8(op.end)
    .u8(op.globalGet).u32(ix.fuelGlobal).u8(op.i32Const).signed(1).u8(op.i32Sub).u8(op.globalSet).u32(ix.fuelGlobal);
}

/** Offset of the `if` in takeTick's code: the branch to `refuel`. */
function takeTickBranchOffset(ix: InjectedIndices): number {
  return new ByteWriter(8).u8(op.globalGet).u32(ix.fuelGlobal).u8(op.i32Eqz).length;
}

/** The injected `tick` function's body: `() -> i32`, one tick taken, a loop budget returned. */
export function tickBody(ix: InjectedIndices): Uint8Array {
  return takeTick(new ByteWriter(32).u32(0), ix).u8(op.i32Const).signed(loopBudget).u8(op.end).finish().slice();
}

/** The branch hints of the tick function: its one branch to `refuel` (after its empty locals vector). */
export function tickBranchHints(ix: InjectedIndices): number[] {
  return [1 + takeTickBranchOffset(ix)];
}

/** Never-taken branches per function (in the rewritten module's numbering), offsets from the start of each body. */
export type UnlikelyBranches = Array<{ functionIndex: number; offsets: number[] }>;

/**
 * The `metadata.code.branch_hint` custom section's content (name included) marking every listed
 * branch unlikely. Functions must come in increasing index order, offsets increasing within each.
 */
export function branchHintSection(branches: UnlikelyBranches): Uint8Array {
  const out = new ByteWriter().name('metadata.code.branch_hint').u32(branches.length);
  for (const { functionIndex, offsets } of branches) {
    out.u32(functionIndex).u32(offsets.length);
    for (const offset of offsets) out.u32(offset).u32(1).u8(0); // hint size 1, 0 = unlikely
  }
  return out.finish().slice();
}

/**
 * Rewrites the code section. `functionIndexBase` is the old index of its first body and
 * `paramCounts` the number of parameters of each body's function (locals are numbered after
 * them). Also returns the injected never-taken branches of the rewritten bodies.
 */
export function rewriteCodeSection(content: Uint8Array, functionIndexBase: number, paramCounts: readonly number[], ix: InjectedIndices, extraBodies: Uint8Array[]): { content: Uint8Array; unlikely: UnlikelyBranches } {
  const r = new ByteReader(content);
  const entryCheck = takeTick(new ByteWriter(24), ix).finish().slice();
  const unlikely: UnlikelyBranches = [];
  const count = r.u32();
  const out = new ByteWriter(Math.ceil(content.length * 1.2) + 64);
  out.u32(count + extraBodies.length);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const body = new ByteReader(content, r.pos, r.pos + size);
    r.skip(size);
    const locals = readLocals(body, paramCounts[i] ?? 0);
    const rewriter = new BodyRewriter(body, functionIndexBase + i, ix);
    const code = rewriter.rewrite(locals.count);
    const rewritten = new ByteWriter(locals.bytes.length + code.length + entryCheck.length + 8);
    // The loop budget is one more i32 local, after all the others, set at entry.
    if (rewriter.loops) rewritten.u32(locals.groups + 1).bytes(locals.bytes).u32(1).u8(0x7f);
    else rewritten.u32(locals.groups).bytes(locals.bytes);
    const offsets: number[] = [];
    if (rewriter.calls) {
      offsets.push(rewritten.length + takeTickBranchOffset(ix));
      rewritten.bytes(entryCheck);
    }
    if (rewriter.loops) rewritten.u8(op.i32Const).signed(loopBudget).u8(op.localSet).u32(locals.count);
    const codeStart = rewritten.length;
    for (const offset of rewriter.unlikely) offsets.push(codeStart + offset);
    if (offsets.length > 0) unlikely.push({ functionIndex: ix.remap(functionIndexBase + i), offsets });
    out.sized(rewritten.bytes(code));
  }
  for (const body of extraBodies) out.sized(body);
  return { content: out.finish().slice(), unlikely };
}

/**
 * The body of the guard that replaces `memory.grow`: grow, and on failure tell the host
 * (which stops the guest with a memory-limit error) instead of handing the guest -1.
 */
export function growGuardBody(growFailedFunction: number): Uint8Array {
  return new ByteWriter(32)
    .u32(1).u32(1).u8(0x7f) // one extra i32 local: the result
    .u8(op.localGet).u32(0).u8(op.memoryGrow).u8(0)
    .u8(op.localTee).u32(1).u8(op.i32Const).signed(-1).u8(op.i32Eq)
    .u8(op.if).u8(0x40).u8(op.localGet).u32(0).u8(op.call).u32(growFailedFunction).u8(op.end)
    .u8(op.localGet).u32(1).u8(op.end)
    .finish().slice();
}

/**
 * Bodies of a global's accessors. Floats travel as their bit patterns (reinterpreted to
 * integers) because JavaScript numbers do not keep NaN payloads, and a snapshot is exact.
 */
export function globalAccessorBodies(globalIndex: number, type: 'i32' | 'i64' | 'f32' | 'f64'): { get: Uint8Array; set: Uint8Array } {
  const toBits = type === 'f32' ? [0xbc] : type === 'f64' ? [0xbd] : []; // i32/i64.reinterpret_f32/f64
  const fromBits = type === 'f32' ? [0xbe] : type === 'f64' ? [0xbf] : []; // f32/f64.reinterpret_i32/i64
  const get = new ByteWriter(16).u32(0).u8(op.globalGet).u32(globalIndex);
  for (const b of toBits) get.u8(b);
  const set = new ByteWriter(16).u32(0).u8(op.localGet).u32(0);
  for (const b of fromBits) set.u8(b);
  set.u8(op.globalSet).u32(globalIndex);
  return { get: get.u8(op.end).finish().slice(), set: set.u8(op.end).finish().slice() };
}
