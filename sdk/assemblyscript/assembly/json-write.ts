/**
 * Serialises a `Value` as UTF-8 JSON into unmanaged memory: exactly what an import takes,
 * without an intermediate UTF-16 string.
 */
import { Arr, Bool, Kind, Num, Obj, Str, Value } from "./json-value";

/** A growable byte buffer outside the GC heap; the owner calls `free()` when done. */
export class ByteWriter {
  ptr: usize;
  len: usize = 0;
  cap: usize;

  constructor(initial: usize = 256) {
    this.cap = initial;
    this.ptr = heap.alloc(initial);
  }

  reserve(extra: usize): void {
    const need = this.len + extra;
    if (need <= this.cap) return;
    let cap = this.cap << 1;
    while (cap < need) cap <<= 1;
    this.ptr = heap.realloc(this.ptr, cap);
    this.cap = cap;
  }

  byte(b: u32): void {
    this.reserve(1);
    store<u8>(this.ptr + this.len++, <u8>b);
  }

  ascii(s: string): void {
    const n = <usize>s.length;
    this.reserve(n);
    for (let i: usize = 0; i < n; i++) store<u8>(this.ptr + this.len + i, <u8>s.charCodeAt(<i32>i));
    this.len += n;
  }

  /** Writes `s` as a quoted JSON string. */
  quoted(s: string): void {
    this.byte(0x22);
    let plain = 0; // start of the run of characters that need no escape
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
      this.utf8(s, plain, i);
      this.byte(0x5c);
      if (c == 0x22 || c == 0x5c) this.byte(c);
      else if (c == 0x0a) this.byte(0x6e);
      else if (c == 0x0d) this.byte(0x72);
      else if (c == 0x09) this.byte(0x74);
      else if (c == 0x08) this.byte(0x62);
      else if (c == 0x0c) this.byte(0x66);
      else {
        this.ascii("u00");
        this.byte(HEX.charCodeAt(c >> 4));
        this.byte(HEX.charCodeAt(c & 15));
      }
      plain = i + 1;
    }
    this.utf8(s, plain, n);
    this.byte(0x22);
  }

  /** Writes characters [from, to) of `s` as UTF-8. */
  utf8(s: string, from: i32, to: i32): void {
    if (to <= from) return;
    const start = changetype<usize>(s) + (<usize>from << 1);
    // at most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units)
    this.reserve(<usize>(to - from) * 3);
    const written = String.UTF8.encodeUnsafe(start, to - from, this.ptr + this.len);
    this.len += written;
  }

  free(): void {
    heap.free(this.ptr);
    this.ptr = 0;
    this.len = 0;
    this.cap = 0;
  }
}

const HEX = "0123456789abcdef";

/** Appends the JSON text of `v` to `w`. */
export function writeValue(w: ByteWriter, v: Value): void {
  switch (v.kind) {
    case Kind.Null: w.ascii("null"); break;
    case Kind.Bool: w.ascii(changetype<Bool>(v).value ? "true" : "false"); break;
    case Kind.Num: w.ascii(changetype<Num>(v).text); break;
    case Kind.Str: w.quoted(changetype<Str>(v).value); break;
    case Kind.Arr: {
      const items = changetype<Arr>(v).items;
      w.byte(0x5b);
      for (let i = 0; i < items.length; i++) {
        if (i > 0) w.byte(0x2c);
        writeValue(w, items[i]);
      }
      w.byte(0x5d);
      break;
    }
    case Kind.Obj: {
      const obj = changetype<Obj>(v);
      w.byte(0x7b);
      for (let i = 0; i < obj.keys.length; i++) {
        if (i > 0) w.byte(0x2c);
        w.quoted(obj.keys[i]);
        w.byte(0x3a);
        writeValue(w, obj.values[i]);
      }
      w.byte(0x7d);
      break;
    }
  }
}

/** The JSON text of `v`, as a string (for logs and tests; payloads use `ByteWriter`). */
export function stringify(v: Value): string {
  const w = new ByteWriter();
  writeValue(w, v);
  const s = String.UTF8.decodeUnsafe(w.ptr, w.len);
  w.free();
  return s;
}
