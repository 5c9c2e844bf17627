/**
 * A first pass over a function body that decides how the body rewriter checks each loop.
 * The choice follows what V8's optimizing compiler does with each shape (measured on the
 * CPU-heavy test guest; see body-rewriter.ts for the code each kind gets):
 *
 * - `bounded`: a small loop (at most `maxBoundedInstructions` instructions) that provably runs
 *   at most `maxBoundedIterations` times per entry gets no check at all. It costs no more than
 *   its body written out that many times, about a thousand instructions of straight-line code
 *   that the guest's compiler could have emitted instead (and often does, by unrolling), which
 *   carries no check either. Only innermost loops without calls qualify, so the bound never
 *   multiplies: an inner loop or a callee could hide another bounded loop. Both limits are
 *   small on purpose: the loop around a bounded loop (or its caller's) takes one unit of
 *   budget per entry, so a larger bound would stretch the time between two looks at the
 *   clock, and so how far past its deadline a runaway guest gets, by as much.
 * - `leaf`: any other innermost loop without calls, the only kind V8 unrolls. Its check sits
 *   at the header, and the refill call outside the loop in a wrapper, since a call anywhere in
 *   a loop stops V8 from unrolling it.
 * - `outer`: a loop with inner loops or calls (V8 would not unroll it anyway). When its only
 *   back-edge is a `br_if` at its very end (`backEdge`, the offset of that instruction), the
 *   check goes on that branch, taken side only. A check at the header costs more there:
 *   V8 then keeps the budget in a stack slot across the loop, a store and a load on every
 *   iteration (the sieve's outer loop ran 10% slower). Other outer loops are checked at the header.
 *
 * The bound is proved for one shape only, the counted loop that clang and binaryen emit at -O1
 * and above: an i32 local `x` set to a constant in the straight-line code just before the loop,
 * and written nowhere in the loop but in its single back-edge, at the very end:
 *
 *     loop
 *       ...                           ;; no call, no inner loop, no other branch to the loop
 *       local.get x  i32.const c  i32.add  local.tee x  i32.const k  <i32 comparison>  br_if 0
 *     end
 *
 * Every iteration that goes round again passes that tail exactly once, so after `n` iterations
 * `x` is `x0 + n*c` (mod 2^32); the trip count is found by stepping `x` until the comparison
 * fails, giving up past the limit.
 */
import { ByteReader } from '../binary/byte-reader.ts';
import { op, readOpcode, skipBlockType, skipImmediates } from '../binary/instructions.ts';

export type LoopPlan = { kind: 'bounded' } | { kind: 'leaf' } | { kind: 'outer'; backEdge: number | undefined };

/**
 * A loop that provably runs at most this many times per entry, with at most this many
 * instructions in it, carries no check: at most ~1,000 instructions per entry.
 */
export const maxBoundedIterations = 16;
export const maxBoundedInstructions = 64;

const callOpcodes = new Set<number>([
  op.call, op.returnCall, op.callIndirect, op.returnCallIndirect, op.callRef, op.returnCallRef,
  op.memoryGrow, // the rewriter turns it into a call of the grow guard
]);
/** i32 comparisons by opcode: does the loop go round again, given `x` and the constant `k`? */
const comparisons = new Map<number, (x: number, k: number) => boolean>([
  [0x46, (x, k) => x === k], [0x47, (x, k) => x !== k],
  [0x48, (x, k) => x < k], [0x49, (x, k) => x >>> 0 < k >>> 0],
  [0x4a, (x, k) => x > k], [0x4b, (x, k) => x >>> 0 > k >>> 0],
  [0x4c, (x, k) => x <= k], [0x4d, (x, k) => x >>> 0 <= k >>> 0],
  [0x4e, (x, k) => x >= k], [0x4f, (x, k) => x >>> 0 >= k >>> 0],
]);
const tailLength = 7;

/** One instruction at a loop's own nesting level: its offset, opcode and single immediate (a local, a constant, a depth). */
interface Instruction {
  at: number;
  opcode: number;
  immediate: number;
}

interface LoopState {
  at: number;
  /** Locals known to hold an i32 constant whenever the loop is entered. */
  entryConstants: Map<number, number>;
  innermost: boolean;
  calls: boolean;
  /** Holds a try_table, whose catch clauses branch to labels too: no bound is attempted. */
  catches: boolean;
  backEdges: number;
  /** Instructions in the loop, nested blocks included. */
  instructions: number;
  writes: Map<number, number>;
  /** The last instructions at the loop's own nesting level; a nested block counts as one. */
  tail: Instruction[];
}

/** How to check each loop of a body, keyed by the offset of its `loop` opcode in `bytes`. */
export function surveyLoops(bytes: Uint8Array, start: number, end: number): Map<number, LoopPlan> {
  const r = new ByteReader(bytes, start, end);
  const plans = new Map<number, LoopPlan>();
  const frames: (LoopState | undefined)[] = [undefined]; // open blocks, the body first; loops have a state
  const loops: LoopState[] = []; // the open loops alone, innermost last
  // Locals set to a constant by the straight-line code since the last join point, and the
  // value of the previous instruction when it was an i32.const.
  let constants = new Map<number, number>();
  let pendingConstant: number | undefined;
  const record = (at: number, opcode: number, immediate: number) => {
    const tail = frames[frames.length - 1]?.tail;
    if (tail === undefined) return;
    tail.push({ at, opcode, immediate });
    if (tail.length > tailLength) tail.shift();
  };
  // A join point: what straight-line code knew no longer holds (an empty map is reused: none is ever shared).
  const join = () => {
    if (constants.size > 0) constants = new Map();
  };
  const branchTo = (depth: number) => {
    const loop = frames[frames.length - 1 - depth];
    if (loop !== undefined) loop.backEdges++;
  };
  while (!r.done) {
    const at = r.pos;
    const opcode = readOpcode(r);
    const current: LoopState | undefined = loops[loops.length - 1];
    if (current !== undefined) current.instructions++;
    let constant: number | undefined;
    switch (opcode) {
      case op.loop:
        skipBlockType(r);
        record(at, opcode, 0);
        if (current !== undefined) current.innermost = false; // the loops around it were marked when it opened
        frames.push({ at, entryConstants: constants, innermost: true, calls: false, catches: false, backEdges: 0, instructions: 0, writes: new Map(), tail: [] });
        loops.push(frames[frames.length - 1]!);
        constants = new Map(); // the header is also reached from the back-edges
        break;
      case op.block: case op.if: case op.try: case op.tryTable: {
        if (opcode === op.tryTable && current !== undefined) current.catches = true;
        record(at, opcode, 0);
        skipImmediates(r, opcode);
        frames.push(undefined);
        break;
      }
      case op.end: case op.delegate: {
        if (opcode === op.delegate) r.u32();
        const loop = frames.pop();
        if (loop !== undefined) {
          loops.pop();
          plans.set(loop.at, planOf(loop));
        }
        join(); // a block's end joins every branch to it
        break;
      }
      case op.else: case op.catch: case op.catchAll:
        skipImmediates(r, opcode);
        join();
        break;
      case op.br: case op.brIf: case op.brOnNull: case op.brOnNonNull: {
        const depth = r.u32();
        branchTo(depth);
        record(at, opcode, depth);
        break;
      }
      case op.brTable:
        for (const depth of r.vec((x) => x.u32())) branchTo(depth);
        branchTo(r.u32());
        record(at, opcode, 0);
        break;
      case op.localSet: case op.localTee: {
        const local = r.u32();
        if (current !== undefined) current.writes.set(local, (current.writes.get(local) ?? 0) + 1);
        if (pendingConstant === undefined) constants.delete(local);
        else constants.set(local, pendingConstant);
        record(at, opcode, local);
        break;
      }
      case op.localGet:
        record(at, opcode, r.u32());
        break;
      case op.i32Const:
        constant = r.s32();
        record(at, opcode, constant);
        break;
      default:
        // Only the innermost loop needs to know: the loops around it are outer loops anyway.
        if (current !== undefined && callOpcodes.has(opcode)) current.calls = true;
        skipImmediates(r, opcode);
        record(at, opcode, 0);
    }
    pendingConstant = constant;
  }
  return plans;
}

function planOf(loop: LoopState): LoopPlan {
  const last = loop.tail.at(-1);
  if (!loop.innermost || loop.calls) {
    const endsInItsOnlyBackEdge = loop.backEdges === 1 && last?.opcode === op.brIf && last.immediate === 0;
    return { kind: 'outer', backEdge: endsInItsOnlyBackEdge ? last.at : undefined };
  }
  const trips = loop.catches ? undefined : tripCount(loop);
  return { kind: trips === undefined ? 'leaf' : 'bounded' };
}

/** How many times the body of a counted loop runs per entry, at most; undefined for another shape or past the limit. */
function tripCount(loop: LoopState): number | undefined {
  if (loop.backEdges !== 1 || loop.tail.length !== tailLength || loop.instructions > maxBoundedInstructions) return undefined;
  const [get, step, add, tee, limit, compare, branch] = loop.tail as [Instruction, Instruction, Instruction, Instruction, Instruction, Instruction, Instruction];
  const x = get.immediate;
  const start = loop.entryConstants.get(x);
  const goesRound = comparisons.get(compare.opcode);
  if (get.opcode !== op.localGet || step.opcode !== op.i32Const || add.opcode !== op.i32Add || tee.opcode !== op.localTee ||
    tee.immediate !== x || limit.opcode !== op.i32Const || goesRound === undefined || branch.opcode !== op.brIf ||
    branch.immediate !== 0 || loop.writes.get(x) !== 1 || start === undefined) return undefined;
  let value = start;
  for (let trips = 1; trips <= maxBoundedIterations; trips++) {
    value = (value + step.immediate) | 0;
    if (!goesRound(value, limit.immediate)) return trips;
  }
  return undefined;
}
