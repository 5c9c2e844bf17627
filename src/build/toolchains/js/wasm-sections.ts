/**
 * Custom sections of a wasm binary, read and written at the byte level (section id 0:
 * LEB128 size, LEB128 name length, name, payload). Appending never touches the other
 * sections, so the engine's code stays byte-identical in every JS operator.
 */

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

/** Returns `module` with a custom section `name` holding `payload` appended. */
export function appendCustomSection(module: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes];
  const header = [0, ...leb128(body.length + payload.length), ...body];
  const out = new Uint8Array(module.length + header.length + payload.length);
  out.set(module, 0);
  out.set(header, module.length);
  out.set(payload, module.length + header.length);
  return out;
}
