/**
 * Appending a custom section to a wasm binary. Custom sections may appear anywhere after the
 * header and are ignored by the engine, so appending one never changes what the module does.
 */

import { manifestSectionName } from '../wasm/index.ts';

/** The name of the section holding an operator's manifest (docs/abi.md, "The manifest"). */
export const MANIFEST_SECTION = manifestSectionName;

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** `wasm` followed by a custom section `name` holding `payload`. Throws on input that is not wasm. */
export function appendCustomSection(wasm: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  if (wasm.length < 8 || WASM_MAGIC.some((b, i) => wasm[i] !== b)) {
    throw new TypeError('not a WebAssembly binary (missing the \\0asm header)');
  }
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes];
  const size = leb128(body.length + payload.length);
  const out = new Uint8Array(wasm.length + 1 + size.length + body.length + payload.length);
  let at = 0;
  out.set(wasm, at);
  at += wasm.length;
  out[at++] = 0; // section id 0: custom
  out.set(size, at);
  at += size.length;
  out.set(body, at);
  at += body.length;
  out.set(payload, at);
  return out;
}
