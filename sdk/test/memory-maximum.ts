// Test support: the memory limit the host applies, without the host.
/**
 * Returns `module` with its (only) memory capped at `maxPages`, the way the host applies an
 * operator's memory limit, so tests can reach the limit without allocating 4 GiB.
 */
export function withMemoryMaximum(module: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return out;
  };
  let pos = 8;
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = module[pos++] ?? 0;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
  };
  while (pos < module.length) {
    const start = pos;
    const id = module[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 5) {
      if (u32() !== 1) throw new Error('expected one memory');
      const flags = u32();
      const min = u32();
      if (flags !== 0) throw new Error('the memory already has a maximum');
      const body = [1, 1, ...leb(min), ...leb(maxPages)];
      const section = [5, ...leb(body.length), ...body];
      const out = new Uint8Array(module.length - (end - start) + section.length);
      out.set(module.subarray(0, start), 0);
      out.set(section, start);
      out.set(module.subarray(end), start + section.length);
      return out;
    }
    pos = end;
  }
  throw new Error('the module has no memory section');
}
