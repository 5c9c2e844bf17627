/**
 * Test support until the wasm engine's rewriter (src/wasm) is on this branch: exports every
 * mutable global of a module as `__global_<index>`, so a test can snapshot and restore state
 * the guest never exported (Go keeps its stack pointer and current goroutine in such globals).
 * Only the export section changes; every other byte is copied.
 */

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

function skipLeb(bytes: Uint8Array, at: number): number {
  while ((bytes[at++]! & 0x80) !== 0);
  return at;
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function skipName(bytes: Uint8Array, at: number): number {
  const [len, next] = readU32(bytes, at);
  return next + len;
}

function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at++]!;
  at = skipLeb(bytes, at);
  return (flags & 1) !== 0 ? skipLeb(bytes, at) : at;
}

/** Skips a constant expression (the opcodes MVP globals use) up to and including its `end`. */
function skipConstExpr(bytes: Uint8Array, at: number): number {
  for (;;) {
    const op = bytes[at++]!;
    if (op === 0x0b) return at;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) at = skipLeb(bytes, at);
    else if (op === 0x43) at += 4;
    else if (op === 0x44) at += 8;
    else if (op === 0xd0) at += 1;
    else throw new Error(`unsupported opcode 0x${op.toString(16)} in a global's initializer`);
  }
}

/** The module with its mutable globals exported, and their indices in order. */
export function exportMutableGlobals(wasm: Uint8Array): { bytes: Uint8Array; globals: number[] } {
  const sections: Array<{ id: number; content: Uint8Array }> = [];
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at++]!;
    const [size, start] = readU32(wasm, at);
    sections.push({ id, content: wasm.subarray(start, start + size) });
    at = start + size;
  }
  const mutable: number[] = [];
  let importedGlobals = 0;
  for (const { id, content } of sections) {
    if (id === 2) {
      let [count, at] = readU32(content, 0);
      for (; count > 0; count--) {
        at = skipName(content, skipName(content, at));
        const kind = content[at++]!;
        if (kind === 0) at = skipLeb(content, at);
        else if (kind === 1) at = skipLimits(content, at + 1);
        else if (kind === 2) at = skipLimits(content, at);
        else if (kind === 3) {
          if (content[at + 1] === 1) mutable.push(importedGlobals);
          importedGlobals++;
          at += 2;
        } else at = skipLeb(content, at + 1);
      }
    }
    if (id === 6) {
      let [count, at] = readU32(content, 0);
      for (let index = importedGlobals; count > 0; count--, index++) {
        if (content[at + 1] === 1) mutable.push(index);
        at = skipConstExpr(content, at + 2);
      }
    }
  }
  const exportSection = sections.find((s) => s.id === 7);
  if (exportSection === undefined) throw new Error('the module has no export section');
  const [count, rest] = readU32(exportSection.content, 0);
  const added = mutable.flatMap((index) => {
    const name = new TextEncoder().encode(`__global_${index}`);
    return [...u32(name.length), ...name, 3, ...u32(index)];
  });
  const content = Buffer.concat([new Uint8Array(u32(count + mutable.length)), exportSection.content.subarray(rest), new Uint8Array(added)]);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  for (const section of sections) {
    const body = section === exportSection ? content : section.content;
    parts.push(new Uint8Array([section.id, ...u32(body.length)]), body);
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), globals: mutable };
}
