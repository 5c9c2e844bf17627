/**
 * Rewrites function bodies: fuel checks, the memory-growth guard, renumbered calls, and the
 * refusal of instructions that change tables.
 *
 * The fuel check counts down a module-private global and, when it reaches zero, calls
 * the host's `refuel` import, which either returns a new allowance or throws because the
 * call's deadline has passed. It sits at every loop header and at the entry of every function
 * that calls or loops (a function that does neither always finishes, and any endless call
 * chain passes through the entry of a function that calls). The hot path is six cheap
 * instructions and a never-taken branch; the host is consulted once per allowance.
 */
import { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { op, readOpcode, skipBlockType, skipImmediates, tableMutatingOpcodes } from '../binary/instructions.ts';
import { readValueType } from '../binary/module-parser.ts';
import type { FunctionRemap } from './index-remap.ts';
import { RewriteRejection } from './rewrite-rejection.ts';

/** Indices (in the rewritten module) that the injected code refers to. */
export interface InjectedIndices {
  fuelGlobal: number;
  refuelFunction: number;
  growGuardFunction: number;
  remap: FunctionRemap;
}

/**
 * `if (fuel == 0) fuel = refuel(); fuel -= 1;` Checking before decrementing matters: if
 * refuel throws and the guest catches the exception (wasm exception handling can catch host
 * exceptions), fuel is still 0, so the very next check asks the host again.
 */
function fuelCheck(ix: InjectedIndices): Uint8Array {
  return new ByteWriter(24)
    .u8(op.globalGet).u32(ix.fuelGlobal).u8(op.i32Eqz)
    .u8(op.if).u8(0x40).u8(op.call).u32(ix.refuelFunction).u8(op.globalSet).u32(ix.fuelGlobal).u8(op.end)
    .u8(op.globalGet).u32(ix.fuelGlobal).u8(op.i32Const).signed(1).u8(op.i32Sub).u8(op.globalSet).u32(ix.fuelGlobal)
    .finish().slice();
}

/** Rewrites the code section; `functionIndexBase` is the old index of its first body. */
export function rewriteCodeSection(content: Uint8Array, functionIndexBase: number, ix: InjectedIndices, extraBodies: Uint8Array[]): Uint8Array {
  const r = new ByteReader(content);
  const check = fuelCheck(ix);
  const count = r.u32();
  const out = new ByteWriter(Math.ceil(content.length * 1.2) + 64);
  out.u32(count + extraBodies.length);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const body = new ByteReader(content, r.pos, r.pos + size);
    r.skip(size);
    out.sized(rewriteBody(body, functionIndexBase + i, check, ix));
  }
  for (const body of extraBodies) out.sized(body);
  return out.finish().slice();
}

function rewriteBody(r: ByteReader, functionIndex: number, check: Uint8Array, ix: InjectedIndices): ByteWriter {
  const localsStart = r.pos;
  for (let groups = r.u32(); groups > 0; groups--) {
    r.u32();
    readValueType(r);
  }
  const locals = r.bytes.subarray(localsStart, r.pos);
  const code = new ByteWriter(r.end - r.pos + 64);
  let callsOrLoops = false;
  while (!r.done) {
    const start = r.pos;
    const opcode = readOpcode(r);
    switch (opcode) {
      case op.loop:
        skipBlockType(r);
        code.bytes(r.bytes.subarray(start, r.pos)).bytes(check);
        callsOrLoops = true;
        continue;
      case op.call:
      case op.returnCall:
        code.u8(opcode).u32(ix.remap(r.u32()));
        callsOrLoops = true;
        continue;
      case op.refFunc:
        code.u8(opcode).u32(ix.remap(r.u32()));
        continue;
      case op.memoryGrow:
        if (r.u32() !== 0) r.fail('memory.grow on a memory other than 0');
        code.u8(op.call).u32(ix.growGuardFunction);
        continue;
      case 0x11: case 0x13: case 0x14: case 0x15: // call_indirect, return_call_indirect, call_ref, return_call_ref
        callsOrLoops = true;
        break;
    }
    const mutation = tableMutatingOpcodes.get(opcode);
    if (mutation !== undefined) {
      throw new RewriteRejection('MODULE_TABLE_MUTABLE',
        `function ${functionIndex} uses ${mutation}: tables that change at run time cannot be captured in a snapshot`);
    }
    skipImmediates(r, opcode);
    code.bytes(r.bytes.subarray(start, r.pos));
  }
  const out = new ByteWriter(locals.length + code.length + check.length);
  out.bytes(locals);
  if (callsOrLoops) out.bytes(check);
  return out.bytes(code.finish());
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
