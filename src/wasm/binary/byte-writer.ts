const textEncoder = new TextEncoder();

/** A growable byte buffer that writes WebAssembly's encodings (LEB128, names, vectors, sections). */
export class ByteWriter {
  #buffer: Uint8Array;
  #length = 0;

  constructor(initialCapacity = 1024) {
    this.#buffer = new Uint8Array(initialCapacity);
  }

  get length(): number {
    return this.#length;
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
  }

  u8(value: number): this {
    this.#reserve(1);
    this.#buffer[this.#length++] = value;
    return this;
  }

  u32(value: number): this {
    let rest = value >>> 0;
    do {
      let byte = rest & 0x7f;
      rest >>>= 7;
      if (rest !== 0) byte |= 0x80;
      this.u8(byte);
    } while (rest !== 0);
    return this;
  }

  /** A signed LEB128 (i32.const, i64.const, block types). */
  signed(value: bigint | number): this {
    let rest = BigInt(value);
    for (;;) {
      const byte = Number(rest & 0x7fn);
      rest >>= 7n;
      const signBitSet = (byte & 0x40) !== 0;
      if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) {
        this.u8(byte);
        return this;
      }
      this.u8(byte | 0x80);
    }
  }

  bytes(data: Uint8Array): this {
    this.#reserve(data.length);
    this.#buffer.set(data, this.#length);
    this.#length += data.length;
    return this;
  }

  name(text: string): this {
    const encoded = textEncoder.encode(text);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** Appends `body` prefixed by its byte length (sections, function bodies, subsections). */
  sized(body: ByteWriter | Uint8Array): this {
    const data = body instanceof ByteWriter ? body.finish() : body;
    return this.u32(data.length).bytes(data);
  }

  section(id: number, body: ByteWriter | Uint8Array): this {
    return this.u8(id).sized(body);
  }

  /** The written bytes (a view, valid until the next write). */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}
