/**
 * A JSON parser that reads UTF-8 bytes straight from linear memory (what the host writes), so
 * a payload is never first copied into a UTF-16 string.
 */
import { Arr, Bool, Null, Num, Obj, Str, Value } from "./json-value";

/** Parses `len` UTF-8 bytes at `ptr`; null when they are not one valid JSON value. */
export function parseBytes(ptr: usize, len: usize): Value | null {
  const parser = new Parser(ptr, ptr + len);
  const value = parser.value(0);
  parser.skipSpace();
  return parser.failed || parser.pos != parser.end ? null : value;
}

/** Parses JSON text; null when it is not one valid JSON value. */
export function parse(text: string): Value | null {
  const bytes = String.UTF8.encode(text);
  return parseBytes(changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** Parses JSON text that must be an object; null otherwise. */
export function parseObj(text: string): Obj | null {
  const value = parse(text);
  return value == null ? null : value.asObj();
}

// Deeper than any Kubernetes object; the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH = 200;

class Parser {
  failed: bool = false;
  constructor(public pos: usize, public end: usize) {}

  skipSpace(): void {
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
      this.pos++;
    }
  }

  fail(): Value {
    this.failed = true;
    this.pos = this.end;
    return new Null();
  }

  /** True (and consumes it) when the input continues with `word`. */
  literal(word: string): bool {
    const n = <usize>word.length;
    if (this.end - this.pos < n) return false;
    for (let i: usize = 0; i < n; i++) {
      if (<u32>load<u8>(this.pos + i) != <u32>word.charCodeAt(<i32>i)) return false;
    }
    this.pos += n;
    return true;
  }

  value(depth: i32): Value {
    this.skipSpace();
    if (this.pos >= this.end || depth > MAX_DEPTH) return this.fail();
    const c = load<u8>(this.pos);
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) return new Str(this.string());
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.literal("true")) return new Bool(true);
    if (this.literal("false")) return new Bool(false);
    if (this.literal("null")) return new Null();
    return this.fail();
  }

  object(depth: i32): Value {
    const obj = new Obj();
    this.pos++; // {
    this.skipSpace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x7d) { this.pos++; return obj; }
    while (!this.failed) {
      this.skipSpace();
      if (this.pos >= this.end || load<u8>(this.pos) != 0x22) return this.fail();
      const key = this.string();
      this.skipSpace();
      if (this.pos >= this.end || load<u8>(this.pos) != 0x3a) return this.fail();
      this.pos++; // :
      // Appended without a duplicate check (set() would make parsing quadratic): JSON from the
      // API server never repeats a key, and for input that does, get() finds the first.
      const value = this.value(depth + 1);
      obj.keys.push(key);
      obj.values.push(value);
      this.skipSpace();
      if (this.pos >= this.end) return this.fail();
      const c = load<u8>(this.pos++);
      if (c == 0x7d) return obj;
      if (c != 0x2c) return this.fail();
    }
    return obj;
  }

  array(depth: i32): Value {
    const arr = new Arr();
    this.pos++; // [
    this.skipSpace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x5d) { this.pos++; return arr; }
    while (!this.failed) {
      arr.items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.pos >= this.end) return this.fail();
      const c = load<u8>(this.pos++);
      if (c == 0x5d) return arr;
      if (c != 0x2c) return this.fail();
    }
    return arr;
  }

  number(): Value {
    const start = this.pos;
    if (load<u8>(this.pos) == 0x2d) this.pos++;
    const digits = this.pos;
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      // digits, '.', 'e', 'E', '+', '-': the grammar is checked loosely, the text kept exactly
      if ((c >= 0x30 && c <= 0x39) || c == 0x2e || c == 0x65 || c == 0x45 || c == 0x2b || c == 0x2d) this.pos++;
      else break;
    }
    if (this.pos == digits) return this.fail();
    return new Num(String.UTF8.decodeUnsafe(start, this.pos - start));
  }

  /** Reads a string token (the position is at its opening quote). */
  string(): string {
    this.pos++; // opening quote
    let segment = this.pos;
    let out = "";
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c == 0x22) {
        const tail = String.UTF8.decodeUnsafe(segment, this.pos - segment);
        this.pos++;
        return out.length == 0 ? tail : out + tail;
      }
      if (c < 0x20) break;
      if (c != 0x5c) { this.pos++; continue; }
      out += String.UTF8.decodeUnsafe(segment, this.pos - segment);
      if (this.pos + 1 >= this.end) break;
      const e = load<u8>(this.pos + 1);
      this.pos += 2;
      if (e == 0x75) { // \uXXXX: a UTF-16 unit; surrogate pairs arrive as two escapes
        const unit = this.hex4();
        if (unit < 0) break;
        out += String.fromCharCode(unit);
      } else {
        const decoded = unescape(e);
        if (decoded < 0) break;
        out += String.fromCharCode(decoded);
      }
      segment = this.pos;
    }
    this.fail();
    return "";
  }

  hex4(): i32 {
    if (this.end - this.pos < 4) return -1;
    let unit = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>load<u8>(this.pos++);
      let digit = -1;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) digit = c - 0x41 + 10;
      if (digit < 0) return -1;
      unit = (unit << 4) | digit;
    }
    return unit;
  }
}

function unescape(e: u8): i32 {
  switch (e) {
    case 0x22: return 0x22;
    case 0x5c: return 0x5c;
    case 0x2f: return 0x2f;
    case 0x62: return 0x08;
    case 0x66: return 0x0c;
    case 0x6e: return 0x0a;
    case 0x72: return 0x0d;
    case 0x74: return 0x09;
    default: return -1;
  }
}
