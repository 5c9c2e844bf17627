/** Reading the protobuf wire format: tags, varints, fixed-width and length-delimited fields. */

export type WireType = 0 | 1 | 2 | 5;

/** The wire could not be read: truncated, or a wire type protobuf does not define. */
export class ProtoWireError extends Error {}

export class ProtoReader {
  readonly #bytes: Uint8Array;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: WireType } {
    const key = Number(this.varint());
    const wire = key & 7;
    if (wire !== 0 && wire !== 1 && wire !== 2 && wire !== 5) throw new ProtoWireError(`unsupported wire type ${wire}`);
    return { field: key >>> 3, wire };
  }

  /** An unsigned varint, as a bigint (64-bit values do not fit a double). */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.#pos >= this.#bytes.length) throw new ProtoWireError('truncated varint');
      const b = this.#bytes[this.#pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoWireError('varint longer than 64 bits');
    }
  }

  /** A varint read as a signed 64-bit integer (two's complement, as protobuf encodes int32 and int64). */
  signed(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  bytes(): Uint8Array {
    const length = Number(this.varint());
    if (this.#pos + length > this.#bytes.length) throw new ProtoWireError('truncated length-delimited field');
    const out = this.#bytes.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return out;
  }

  /** Skips a field of the given wire type. */
  skip(wire: WireType): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else this.#pos += wire === 1 ? 8 : 4;
    if (this.#pos > this.#bytes.length) throw new ProtoWireError('truncated fixed-width field');
  }
}
