/** Thrown by the binary layer when bytes do not parse; the module loader turns it into a ModuleError. */
export class BinaryFormatError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'BinaryFormatError';
    this.offset = offset;
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A cursor over WebAssembly binary bytes: LEB128 integers, names, raw slices.
 *
 * Every read checks bounds and throws BinaryFormatError naming the offset, so a truncated or
 * hostile module can never make the parser read past its input.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new BinaryFormatError(message, this.pos);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end of input');
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 of at most 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.u8();
      if (shift === 28 && (byte & 0x70) !== 0) this.fail('u32 LEB128 out of range');
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) this.fail('u32 LEB128 too long');
    }
  }

  /** A signed LEB128 of at most `bits` bits, as a bigint (s33 and s64 do not fit a number's int32 ops). */
  signed(bits: number): bigint {
    let result = 0n;
    let shift = 0n;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        if ((byte & 0x40) !== 0) result -= 1n << shift;
        return result;
      }
    }
    return this.fail(`s${bits} LEB128 too long`);
  }

  /** A signed LEB128 of at most 32 bits, as a number: `signed(32)` without bigints, for hot paths (every `i32.const`). */
  s32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.u8();
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return shift < 25 && (byte & 0x40) !== 0 ? result | (-1 << (shift + 7)) : result | 0;
    }
    return this.fail('s32 LEB128 too long');
  }

  /** Skips one LEB128 integer of any width without decoding it. */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if ((this.u8() & 0x80) === 0) return;
    this.fail('LEB128 too long');
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.pos + length > this.end) this.fail(`needs ${length} bytes, ${this.end - this.pos} left`);
    const slice = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  skip(length: number): void {
    this.take(length);
  }

  name(): string {
    const bytes = this.take(this.u32());
    try {
      return textDecoder.decode(bytes);
    } catch {
      return this.fail('name is not valid UTF-8');
    }
  }

  /** A vector: a u32 count followed by that many items read by `item`. */
  vec<T>(item: (reader: ByteReader, index: number) => T): T[] {
    const count = this.u32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item(this, i));
    return items;
  }
}
