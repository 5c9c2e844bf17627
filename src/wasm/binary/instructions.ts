/**
 * Instruction decoding: just enough to walk a function body or a constant expression one
 * instruction at a time (opcode, then its immediates), so the rewriter can find the handful
 * of instructions it changes and copy every other one byte for byte.
 *
 * Covers the core spec as Node 26 ships it: MVP, sign extension, saturating conversions,
 * bulk memory, reference types, multi-value, SIMD (and relaxed SIMD), tail calls, exception
 * handling and atomics. The GC proposal (0xFB) and anything unknown are refused by name.
 */
import type { ByteReader } from './byte-reader.ts';

/** Prefixed opcodes are `(prefix << 16) | subOpcode`; single-byte ones are the byte itself. */
export type Opcode = number;

export const op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  try: 0x06,
  catch: 0x07,
  rethrow: 0x09,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  call: 0x10,
  callIndirect: 0x11,
  returnCall: 0x12,
  returnCallIndirect: 0x13,
  callRef: 0x14,
  returnCallRef: 0x15,
  delegate: 0x18,
  catchAll: 0x19,
  tryTable: 0x1f,
  globalGet: 0x23,
  globalSet: 0x24,
  tableSet: 0x26,
  memoryGrow: 0x40,
  i32Const: 0x41,
  i32Sub: 0x6b,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Add: 0x6a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  refFunc: 0xd2,
  brOnNull: 0xd4,
  brOnNonNull: 0xd6,
  tableInit: 0xfc000c,
  tableCopy: 0xfc000e,
  tableGrow: 0xfc000f,
  tableFill: 0xfc0011,
} as const;

/** Instructions that change a table's contents at run time; snapshots do not capture tables. */
export const tableMutatingOpcodes: ReadonlyMap<Opcode, string> = new Map([
  [op.tableSet, 'table.set'],
  [op.tableInit, 'table.init'],
  [op.tableCopy, 'table.copy'],
  [op.tableGrow, 'table.grow'],
  [op.tableFill, 'table.fill'],
]);

export function readOpcode(r: ByteReader): Opcode {
  const first = r.u8();
  if (first === 0xfc || first === 0xfd || first === 0xfe) return (first << 16) | r.u32();
  if (first === 0xfb) r.fail('GC instructions (0xfb prefix) are not supported');
  return first;
}

/** A block type: empty (0x40), one value type, or a type index (s33). */
export function skipBlockType(r: ByteReader): void {
  skipValueOrHeapType(r);
}

/**
 * Reads an s33 and, for a typed reference (0x63/0x64), its heap type. Almost every block type
 * is one byte (0x40 or a value type), read without decoding a bigint.
 */
function skipValueOrHeapType(r: ByteReader): void {
  const first = r.u8();
  if ((first & 0x80) !== 0) {
    r.pos--;
    r.signed(33); // a type index of more than one byte
  } else if (first === 0x63 || first === 0x64) {
    r.signed(33);
  }
}

function skipMemArg(r: ByteReader): void {
  const align = r.u32();
  if ((align & 0x40) !== 0) r.u32(); // multi-memory: an explicit memory index follows
  r.skipLeb(); // offset (u32, or u64 for memory64)
}

/** Moves the reader past the immediates of `opcode` (already read). Throws on an unknown opcode. */
export function skipImmediates(r: ByteReader, opcode: Opcode): void {
  if (opcode <= 0xff) return skipSingleByte(r, opcode);
  const prefix = opcode >>> 16;
  const sub = opcode & 0xffff;
  if (prefix === 0xfc) return skipMisc(r, sub);
  if (prefix === 0xfd) return skipSimd(r, sub);
  return skipAtomic(r, sub);
}

function skipSingleByte(r: ByteReader, opcode: number): void {
  switch (opcode) {
    case 0x02: case 0x03: case 0x04: case 0x06: // block loop if try
      return skipBlockType(r);
    case 0x1f: // try_table
      skipBlockType(r);
      for (let n = r.u32(); n > 0; n--) {
        const kind = r.u8();
        if (kind === 0 || kind === 1) r.u32(); // tag
        r.u32(); // label
      }
      return;
    case 0x07: case 0x08: case 0x09: case 0x18: // catch throw rethrow delegate
    case 0x0c: case 0x0d: // br br_if
    case 0x10: case 0x12: case 0x14: case 0x15: // call return_call call_ref return_call_ref
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: // locals globals tables
    case 0xd2: case 0xd4: case 0xd6: // ref.func br_on_null br_on_non_null
      r.u32();
      return;
    case 0x0e: // br_table
      for (let n = r.u32(); n > 0; n--) r.u32();
      r.u32();
      return;
    case 0x11: case 0x13: // call_indirect return_call_indirect: type, table
      r.u32();
      r.u32();
      return;
    case 0x1c: // select t*
      for (let n = r.u32(); n > 0; n--) skipValueOrHeapType(r);
      return;
    case 0x3f: case 0x40: // memory.size memory.grow
      r.u32();
      return;
    case 0x41: r.s32(); return;
    case 0x42: r.signed(64); return;
    case 0x43: r.skip(4); return;
    case 0x44: r.skip(8); return;
    case 0xd0: skipValueOrHeapType(r); return; // ref.null ht
  }
  if (opcode >= 0x28 && opcode <= 0x3e) return skipMemArg(r);
  if (isPlainOpcode(opcode)) return;
  r.fail(`unknown opcode 0x${opcode.toString(16)}`);
}

/** Opcodes without immediates. */
function isPlainOpcode(opcode: number): boolean {
  return (
    opcode === 0x00 || opcode === 0x01 || opcode === 0x05 || opcode === 0x0a || opcode === 0x0b ||
    opcode === 0x0f || opcode === 0x19 || opcode === 0x1a || opcode === 0x1b ||
    (opcode >= 0x45 && opcode <= 0xc4) || opcode === 0xd1 || opcode === 0xd3 || opcode === 0xd5
  );
}

function skipMisc(r: ByteReader, sub: number): void {
  if (sub <= 7) return; // saturating truncations
  switch (sub) {
    case 8: r.u32(); r.u32(); return; // memory.init data, mem
    case 9: r.u32(); return; // data.drop
    case 10: r.u32(); r.u32(); return; // memory.copy
    case 11: r.u32(); return; // memory.fill
    case 12: r.u32(); r.u32(); return; // table.init elem, table
    case 13: r.u32(); return; // elem.drop
    case 14: r.u32(); r.u32(); return; // table.copy
    case 15: case 16: case 17: r.u32(); return; // table.grow table.size table.fill
  }
  r.fail(`unknown opcode 0xfc ${sub}`);
}

function skipSimd(r: ByteReader, sub: number): void {
  if (sub <= 11 || sub === 92 || sub === 93) return skipMemArg(r); // loads, splats, store, *_zero
  if (sub === 12 || sub === 13) return r.skip(16); // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return r.skip(1); // extract/replace lane
  if (sub >= 84 && sub <= 91) { // load/store lane
    skipMemArg(r);
    r.skip(1);
    return;
  }
  if (sub <= 0xff || (sub >= 0x100 && sub <= 0x113)) return; // arithmetic, relaxed SIMD
  r.fail(`unknown opcode 0xfd ${sub}`);
}

function skipAtomic(r: ByteReader, sub: number): void {
  if (sub === 3) return r.skip(1); // atomic.fence
  if (sub <= 0x4e) return skipMemArg(r);
  r.fail(`unknown opcode 0xfe ${sub}`);
}
