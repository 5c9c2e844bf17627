/**
 * Renumbering of function indices outside code bodies. The rewriter adds function imports,
 * and imports come first in the function index space, so every reference to a function
 * defined in the module moves up: in constant expressions (`ref.func`), element segments,
 * exports, and the debugging names of the `name` section.
 */
import { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { op, readOpcode, skipImmediates } from '../binary/instructions.ts';
import { readConstExpr, readValueType } from '../binary/module-parser.ts';

/** Maps an old function index to its new one. */
export type FunctionRemap = (index: number) => number;

/** Copies a constant expression (through its `end`), renumbering any `ref.func`. */
export function remapConstExpr(expr: Uint8Array, remap: FunctionRemap, out: ByteWriter): void {
  const r = new ByteReader(expr);
  while (!r.done) {
    const start = r.pos;
    const opcode = readOpcode(r);
    if (opcode === op.refFunc) {
      out.u8(op.refFunc).u32(remap(r.u32()));
      continue;
    }
    skipImmediates(r, opcode);
    out.bytes(expr.subarray(start, r.pos));
  }
}

function copyExpr(r: ByteReader, remap: FunctionRemap, out: ByteWriter): void {
  remapConstExpr(readConstExpr(r), remap, out);
}

/** Rewrites the element section (all eight segment encodings) with renumbered functions. */
export function remapElementSection(content: Uint8Array, remap: FunctionRemap): Uint8Array {
  const r = new ByteReader(content);
  const out = new ByteWriter(content.length + 16);
  const count = r.u32();
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const flags = r.u32();
    out.u32(flags);
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExpressions = (flags & 4) !== 0;
    if (!passiveOrDeclarative) {
      if (explicitTable) out.u32(r.u32());
      copyExpr(r, remap, out);
    }
    if (passiveOrDeclarative || explicitTable) {
      const typeStart = r.pos;
      if (usesExpressions) readValueType(r);
      else r.u8(); // elemkind 0x00
      out.bytes(content.subarray(typeStart, r.pos));
    }
    const items = r.u32();
    out.u32(items);
    for (let j = 0; j < items; j++) {
      if (usesExpressions) copyExpr(r, remap, out);
      else out.u32(remap(r.u32()));
    }
  }
  return out.finish().slice();
}

/**
 * Rewrites the `name` custom section's function-indexed subsections (function, local and
 * label names). Returns undefined when the section does not parse: names only serve stack
 * traces, so a malformed one is dropped rather than failing the module.
 */
export function remapNameSection(content: Uint8Array, remap: FunctionRemap): Uint8Array | undefined {
  try {
    const r = new ByteReader(content);
    const out = new ByteWriter(content.length + 16);
    while (!r.done) {
      const id = r.u8();
      const body = r.take(r.u32());
      if (id < 1 || id > 3) {
        out.u8(id).sized(body);
        continue;
      }
      const sub = new ByteReader(body);
      const rewritten = new ByteWriter(body.length + 8);
      const entries = sub.u32();
      rewritten.u32(entries);
      for (let i = 0; i < entries; i++) {
        rewritten.u32(remap(sub.u32()));
        const rest = sub.pos;
        if (id === 1) sub.name();
        else sub.vec((x) => (x.u32(), x.name()));
        rewritten.bytes(body.subarray(rest, sub.pos));
      }
      out.u8(id).sized(rewritten);
    }
    return out.finish().slice();
  } catch {
    return undefined;
  }
}
