/**
 * A JSON parser that reads UTF-8 bytes straight from linear memory (what the host writes), so
 * a payload is never first copied into a UTF-16 string.
 */
import { Arr, Bool, Null, Num, Obj, Str, Value } from "./json-value";

// Deeper than any Kubernetes object; the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH = 200;

// Recently seen short strings, reused instead of decoded again: Kubernetes JSON repeats its
// keys ("metadata", "name", "labels") and many values ("True", "v1") in every object, and a
// list of a thousand objects would otherwise hold a thousand copies of each. Direct-mapped by
// hash, so it stays small (at most INTERN_SLOTS strings) and a miss just decodes. Created on
// first use: SDK globals have constant initialisers, which compile in any file order.
const INTERN_SLOTS = 256;
const INTERN_MAX_BYTES = 24;
let interned: StaticArray<string | null> | null = null;

/** `len` ASCII bytes at `ptr` as a string, shared with earlier identical strings when short. */
function internAscii(ptr: usize, len: usize): string {
  if (len > <usize>INTERN_MAX_BYTES) return String.UTF8.decodeUnsafe(ptr, len);
  let table = interned;
  if (table == null) {
    table = new StaticArray<string | null>(INTERN_SLOTS);
    interned = table;
  }
  let hash: u32 = 2166136261;
  for (let i: usize = 0; i < len; i++) hash = (hash ^ load<u8>(ptr + i)) * 16777619;
  const slot = <i32>(hash & (INTERN_SLOTS - 1));
  const hit = table[slot];
  if (hit != null && <usize>hit.length == len) {
    let same = true;
    for (let i: usize = 0; i < len && same; i++) same = <u32>hit.charCodeAt(<i32>i) == <u32>load<u8>(ptr + i);
    if (same) return hit;
  }
  const s = String.UTF8.decodeUnsafe(ptr, len);
  table[slot] = s;
  return s;
}

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

class Parser {
  failed: bool = false;
  // Members and items being parsed, for every open object and array at once (each takes its
  // slice off the top when it closes), so objects get exact-size arrays with no spare capacity.
  keyStack: Array<string> = new Array<string>();
  valueStack: Array<Value> = new Array<Value>();
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
    // arrays put values on the value stack alone: the two stacks have their own bases
    const keyBase = this.keyStack.length;
    const valueBase = this.valueStack.length;
    this.pos++; // {
    this.skipSpace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x7d) { this.pos++; return new Obj(); }
    while (!this.failed) {
      this.skipSpace();
      if (this.pos >= this.end || load<u8>(this.pos) != 0x22) break;
      const key = this.string();
      this.skipSpace();
      if (this.pos >= this.end || load<u8>(this.pos) != 0x3a) break;
      this.pos++; // :
      // Kept without a duplicate check (set() would make parsing quadratic): JSON from the
      // API server never repeats a key, and for input that does, get() finds the first.
      const value = this.value(depth + 1);
      this.keyStack.push(key);
      this.valueStack.push(value);
      this.skipSpace();
      if (this.pos >= this.end) break;
      const c = load<u8>(this.pos++);
      if (c == 0x7d) {
        const n = this.keyStack.length - keyBase;
        const keys = new StaticArray<string>(n);
        const values = new StaticArray<Value>(n);
        for (let i = 0; i < n; i++) {
          keys[i] = this.keyStack[keyBase + i];
          values[i] = this.valueStack[valueBase + i];
        }
        this.keyStack.length = keyBase;
        this.valueStack.length = valueBase;
        return new Obj(keys, values);
      }
      if (c != 0x2c) break;
    }
    this.keyStack.length = keyBase;
    this.valueStack.length = valueBase;
    return this.fail();
  }

  array(depth: i32): Value {
    const base = this.valueStack.length;
    this.pos++; // [
    this.skipSpace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x5d) { this.pos++; return new Arr(); }
    while (!this.failed) {
      this.valueStack.push(this.value(depth + 1));
      this.skipSpace();
      if (this.pos >= this.end) break;
      const c = load<u8>(this.pos++);
      if (c == 0x5d) {
        const n = this.valueStack.length - base;
        const items = new Array<Value>(n);
        for (let i = 0; i < n; i++) items[i] = this.valueStack[base + i];
        this.valueStack.length = base;
        return new Arr(items);
      }
      if (c != 0x2c) break;
    }
    this.valueStack.length = base;
    return this.fail();
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
    let ascii = true;
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c == 0x22) {
        const len = this.pos - segment;
        const tail = ascii && out.length == 0 ? internAscii(segment, len) : String.UTF8.decodeUnsafe(segment, len);
        this.pos++;
        return out.length == 0 ? tail : out + tail;
      }
      if (c >= 0x80) ascii = false;
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
