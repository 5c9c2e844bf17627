/**
 * Rewrites one function body: loop fuel checks, the entry tick, the memory-growth guard,
 * renumbered calls, and the refusal of table-changing instructions.
 *
 * Every loop check decrements the function's loop budget (a local) and, when it reaches zero,
 * calls the injected `tick` for more. How and where depends on the loop (loop-survey.ts
 * decides, from what V8's optimizing compiler does with each shape):
 *
 * - `bounded` loops (small, and provably at most 16 iterations per entry) are left alone.
 * - `leaf` loops (innermost, no calls: the ones V8 unrolls) must not contain the refill call,
 *   or V8 stops unrolling them and compiles them markedly worse (60% on tight loops). So a
 *   leaf loop without parameters is wrapped:
 *
 *       block $exit (result T)        ;; T: the loop's results
 *         loop $reenter (result T)
 *           block $refill
 *             loop $original (result T)
 *               br_if $refill (--budget == 0)
 *               ...original body...   ;; branches out of the loop skip the three new labels
 *             end
 *             br $exit
 *           end
 *           budget = tick()           ;; the call, outside the hot loop (see #refill)
 *           br $reenter
 *         end
 *       end
 *
 *   The check is then a decrement, a compare and a never-taken branch, all on a local.
 * - `outer` loops (with inner loops or calls) whose only back-edge is a final `br_if` get the
 *   check on the taken side of that branch, `br_if $loop` becoming
 *   `if { if (--budget == 0) budget = tick(); br $loop }`; other outer loops, and loops with
 *   parameters (rare: no mainstream compiler emits them), get the same check at the header.
 *
 * Each injected branch to a refill is reported in `unlikely`, for the branch-hint section that
 * tells V8 to move the refill out of line (without it the sieve's loops ran 25% slower).
 * Because labels are counted outward, every branch that leaves a wrapped loop gets its depth
 * raised by three; the control stack below tracks that.
 */
import type { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { op, readOpcode, skipBlockType, skipImmediates, tableMutatingOpcodes } from '../binary/instructions.ts';
import { readValueType } from '../binary/module-parser.ts';
import type { FunctionRemap } from './index-remap.ts';
import { surveyLoops } from './loop-survey.ts';
import type { LoopPlan } from './loop-survey.ts';
import { RewriteRejection } from './rewrite-rejection.ts';

/** Indices (in the rewritten module) that the injected code refers to. */
export interface InjectedIndices {
  fuelGlobal: number;
  refuelFunction: number;
  growGuardFunction: number;
  tickFunction: number;
  /** Function imports of the original module: calls to indices below this go to the host. */
  importedFunctions: number;
  remap: FunctionRemap;
}

const wrapperLabels = 3;
/** One open block of the original code; `wrapped` when a loop got the three wrapper labels. */
interface Frame {
  wrapped: boolean;
}

export class BodyRewriter {
  readonly #r: ByteReader;
  readonly #ix: InjectedIndices;
  readonly #functionIndex: number;
  readonly #code: ByteWriter;
  readonly #frames: Frame[] = [{ wrapped: false }]; // the function body itself
  #budgetLocal = 0;
  #plans = new Map<number, LoopPlan>();
  /** Offsets of the final `br_if` of outer loops checked on their back-edge. */
  readonly #checkedBackEdges = new Set<number>();
  calls = false;
  loops = false;
  /** Offsets, in the rewritten instructions, of the injected branches that are never taken but when the budget runs out. */
  readonly unlikely: number[] = [];

  constructor(r: ByteReader, functionIndex: number, ix: InjectedIndices) {
    this.#r = r;
    this.#functionIndex = functionIndex;
    this.#ix = ix;
    this.#code = new ByteWriter(r.end - r.pos + 64);
  }

  /** Rewrites the instructions after the locals; `budgetLocal` is the index of the loop-budget local. */
  rewrite(budgetLocal: number): Uint8Array {
    this.#budgetLocal = budgetLocal;
    const r = this.#r;
    this.#plans = surveyLoops(r.bytes, r.pos, r.end);
    while (!r.done) this.#instruction();
    return this.#code.finish();
  }

  /** A branch depth in the rewritten code: the original plus the wrapper labels of every wrapped loop it leaves. */
  #depth(original: number, frames = this.#frames): number {
    let depth = original;
    for (let i = 0; i < original; i++) if (frames[frames.length - 1 - i]?.wrapped === true) depth += wrapperLabels;
    return depth;
  }

  #instruction(): void {
    const r = this.#r;
    const code = this.#code;
    const start = r.pos;
    const opcode = readOpcode(r);
    switch (opcode) {
      case op.loop: return this.#loop(start);
      case op.block: case op.if: case op.try:
        skipBlockType(r);
        this.#frames.push({ wrapped: false });
        code.bytes(r.bytes.subarray(start, r.pos));
        return;
      case op.tryTable: return this.#tryTable(start);
      case op.end: return this.#end();
      case op.delegate: {
        this.#frames.pop();
        code.u8(opcode).u32(this.#depth(r.u32()));
        return;
      }
      case op.brIf:
        if (this.#checkedBackEdges.has(start)) return this.#checkedBackEdge();
        code.u8(opcode).u32(this.#depth(r.u32()));
        return;
      case op.br: case op.rethrow: case op.brOnNull: case op.brOnNonNull:
        code.u8(opcode).u32(this.#depth(r.u32()));
        return;
      case op.brTable: {
        const targets = r.vec((x) => x.u32());
        code.u8(opcode).u32(targets.length);
        for (const target of targets) code.u32(this.#depth(target));
        code.u32(this.#depth(r.u32()));
        return;
      }
      case op.call: case op.returnCall: {
        const target = r.u32();
        code.u8(opcode).u32(this.#ix.remap(target));
        // Host functions never call back into the guest, so only calls to the guest's own
        // functions can form an endless call chain.
        if (target >= this.#ix.importedFunctions) this.calls = true;
        return;
      }
      case op.refFunc:
        code.u8(opcode).u32(this.#ix.remap(r.u32()));
        return;
      case op.memoryGrow:
        if (r.u32() !== 0) r.fail('memory.grow on a memory other than 0');
        code.u8(op.call).u32(this.#ix.growGuardFunction);
        return;
      case op.callIndirect: case op.returnCallIndirect: case op.callRef: case op.returnCallRef:
        this.calls = true;
        break;
    }
    const mutation = tableMutatingOpcodes.get(opcode);
    if (mutation !== undefined) {
      throw new RewriteRejection('MODULE_TABLE_MUTABLE',
        `function ${this.#functionIndex} uses ${mutation}: tables that change at run time cannot be captured in a snapshot`);
    }
    skipImmediates(r, opcode);
    code.bytes(r.bytes.subarray(start, r.pos));
  }

  #loop(start: number): void {
    const r = this.#r;
    const code = this.#code;
    const plan = this.#plans.get(start);
    const typeStart = r.pos;
    skipBlockType(r);
    const blockType = r.bytes.subarray(typeStart, r.pos);
    this.#frames.push({ wrapped: false });
    if (plan?.kind === 'bounded') {
      code.bytes(r.bytes.subarray(start, r.pos));
      return;
    }
    this.loops = true;
    // An empty type or a value type (negative s33: first byte 0b01xxxxxx) has no parameters; a type index might.
    const noParameters = (blockType[0]! & 0xc0) === 0x40;
    if (plan?.kind === 'outer' && plan.backEdge !== undefined && noParameters) {
      this.#checkedBackEdges.add(plan.backEdge);
      code.bytes(r.bytes.subarray(start, r.pos));
    } else if (plan?.kind === 'leaf' && noParameters) {
      code.u8(op.block).bytes(blockType).u8(op.loop).bytes(blockType).u8(op.block).u8(0x40).u8(op.loop).bytes(blockType);
      this.#decrementBudget();
      this.unlikely.push(code.length);
      code.u8(op.brIf).u32(1);
      this.#frames[this.#frames.length - 1] = { wrapped: true };
    } else {
      code.bytes(r.bytes.subarray(start, r.pos));
      this.#checkInline();
    }
  }

  /** `if (--budget == 0) budget = tick();` with the call in the loop. */
  #checkInline(): void {
    this.#decrementBudget();
    this.unlikely.push(this.#code.length);
    this.#code.u8(op.if).u8(0x40);
    this.#refill().u8(op.end);
  }

  /** `br_if $loop` at the end of an outer loop becomes `if { <check>; br $loop }`: the check runs only when the loop goes round. */
  #checkedBackEdge(): void {
    const depth = this.#depth(this.#r.u32());
    this.#code.u8(op.if).u8(0x40);
    this.#checkInline();
    this.#code.u8(op.br).u32(depth + 1).u8(op.end);
  }

  /** `--budget == 0`, leaving the condition on the stack. */
  #decrementBudget(): ByteWriter {
    const budget = this.#budgetLocal;
    return this.#code.u8(op.localGet).u32(budget).u8(op.i32Const).signed(1).u8(op.i32Sub).u8(op.localTee).u32(budget).u8(op.i32Eqz);
  }

  /**
   * `budget = 1; budget = tick();` The 1 matters when tick throws (deadline) and the guest
   * catches the exception: the next check then reaches zero and asks again, instead of the
   * budget wrapping around below zero.
   */
  #refill(): ByteWriter {
    const budget = this.#budgetLocal;
    return this.#code.u8(op.i32Const).signed(1).u8(op.localSet).u32(budget).u8(op.call).u32(this.#ix.tickFunction).u8(op.localSet).u32(budget);
  }

  #tryTable(start: number): void {
    const r = this.#r;
    const code = this.#code;
    skipBlockType(r);
    code.bytes(r.bytes.subarray(start, r.pos));
    const clauses = r.u32();
    code.u32(clauses);
    for (let i = 0; i < clauses; i++) {
      const kind = r.u8();
      code.u8(kind);
      if (kind === 0 || kind === 1) code.u32(r.u32()); // tag
      code.u32(this.#depth(r.u32())); // labels of catch clauses are outside the try_table
    }
    this.#frames.push({ wrapped: false });
  }

  #end(): void {
    const frame = this.#frames.pop();
    const code = this.#code;
    code.u8(op.end);
    if (frame?.wrapped !== true) return;
    code.u8(op.br).u32(2).u8(op.end); // leave through $exit; close $refill
    this.#refill().u8(op.br).u32(0).u8(op.end).u8(op.end); // re-enter; close $reenter and $exit
  }
}

/** Reads the locals of a body: the bytes of their groups, the group count, and how many there are (parameters included). */
export function readLocals(r: ByteReader, paramCount: number): { groups: number; bytes: Uint8Array; count: number } {
  const groups = r.u32();
  const start = r.pos;
  let count = paramCount;
  for (let g = 0; g < groups; g++) {
    count += r.u32();
    readValueType(r);
  }
  return { groups, bytes: r.bytes.subarray(start, r.pos), count };
}
