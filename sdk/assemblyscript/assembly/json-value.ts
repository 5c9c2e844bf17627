/**
 * A JSON document as a small tree: what Kubernetes objects are inside the guest.
 *
 * Why a tree and not typed classes: a guest that GETs an object, changes one field and PUTs it
 * back must send every field it did not touch, including ones its author never heard of (a
 * newer API version, another controller's annotations). A tree keeps them all, in order.
 * Numbers keep their original text, so an int64 the guest never reads round-trips exactly.
 */

/** Which variant a `Value` is; switch on it, then call the matching `as*` method. */
export enum Kind { Null, Bool, Num, Str, Arr, Obj }

/** One JSON value. Use `kind` (or the `is*`/`as*` helpers) to find out which. */
export abstract class Value {
  constructor(public readonly kind: Kind) {}

  isNull(): bool { return this.kind == Kind.Null; }

  /** This value as an object, or null when it is something else. */
  asObj(): Obj | null { return this.kind == Kind.Obj ? changetype<Obj>(this) : null; }
  /** This value as an array, or null when it is something else. */
  asArr(): Arr | null { return this.kind == Kind.Arr ? changetype<Arr>(this) : null; }
  /** This value as a string, or null when it is something else. */
  asString(): string | null { return this.kind == Kind.Str ? changetype<Str>(this).value : null; }
  /** This value as a boolean, or `fallback` when it is something else. */
  asBool(fallback: bool = false): bool { return this.kind == Kind.Bool ? changetype<Bool>(this).value : fallback; }
  /** This value as an integer (truncated), or `fallback` when it is not a number. */
  asI64(fallback: i64 = 0): i64 { return this.kind == Kind.Num ? changetype<Num>(this).toI64() : fallback; }
  /** This value as a float, or `fallback` when it is not a number. */
  asF64(fallback: f64 = 0): f64 { return this.kind == Kind.Num ? changetype<Num>(this).toF64() : fallback; }

  /** A deep copy: changing it never changes this value. */
  clone(): Value {
    switch (this.kind) {
      case Kind.Arr: {
        const src = changetype<Arr>(this).items;
        const copy = new Arr();
        for (let i = 0; i < src.length; i++) copy.items.push(src[i].clone());
        return copy;
      }
      case Kind.Obj: {
        const src = changetype<Obj>(this);
        const n = src.keys.length;
        const keys = new StaticArray<string>(n);
        const values = new StaticArray<Value>(n);
        for (let i = 0; i < n; i++) {
          keys[i] = src.keys[i]; // strings are immutable: shared, not copied
          values[i] = src.values[i].clone();
        }
        return new Obj(keys, values);
      }
      default: return this; // scalars are never changed in place
    }
  }
}

/** JSON `null`. */
export class Null extends Value {
  constructor() { super(Kind.Null); }
}

/** JSON `true` or `false`. */
export class Bool extends Value {
  constructor(public readonly value: bool) { super(Kind.Bool); }
}

/** A JSON number, kept as its text (so large integers and exact decimals survive a round trip). */
export class Num extends Value {
  constructor(public readonly text: string) { super(Kind.Num); }
  static fromI64(n: i64): Num { return new Num(n.toString()); }
  /** NaN and the infinities are not JSON numbers: they are written as `null`. */
  static fromF64(n: f64): Num {
    if (!isFinite(n)) return new Num("null");
    const whole = <i64>n;
    return <f64>whole == n ? new Num(whole.toString()) : new Num(n.toString());
  }
  /**
   * The number truncated to an integer (`2.9` -> 2, `1.5e3` -> 1500); 0 for text that is not
   * a number. Exact for any int64. Done by hand so that integer reads do not link a float parser.
   */
  toI64(): i64 {
    const s = this.text;
    let i = 0;
    const negative = s.length > 0 && s.charCodeAt(0) == 45;
    if (negative) i = 1;
    let digits: i64 = 0;
    let scale = 0; // power of ten to apply to `digits`
    let seenDot = false;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c == 46) { seenDot = true; continue; }
      if (c < 48 || c > 57) break;
      if (seenDot) {
        if (scale > -18) { digits = digits * 10 + (c - 48); scale--; }
      } else {
        digits = digits * 10 + (c - 48);
      }
    }
    if (i < s.length && (s.charCodeAt(i) | 32) == 101) { // e or E
      i++;
      let expNegative = false;
      if (i < s.length && (s.charCodeAt(i) == 45 || s.charCodeAt(i) == 43)) { expNegative = s.charCodeAt(i) == 45; i++; }
      let exp = 0;
      for (; i < s.length && exp < 1000; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        exp = exp * 10 + (c - 48);
      }
      scale += expNegative ? -exp : exp;
    }
    for (; scale > 0; scale--) digits *= 10;
    for (; scale < 0 && digits != 0; scale++) digits /= 10;
    return negative ? -digits : digits;
  }
  toF64(): f64 { return parseFloat(this.text); }
}

/** A JSON string. */
export class Str extends Value {
  constructor(public readonly value: string) { super(Kind.Str); }
}

/** A JSON array; `items` may be changed in place. */
export class Arr extends Value {
  items!: Value[];
  constructor(items: Value[] = []) {
    super(Kind.Arr);
    this.items = items;
  }

  get length(): i32 { return this.items.length; }
  at(i: i32): Value { return this.items[i]; }
  push(v: Value): Arr { this.items.push(v); return this; }
  pushString(s: string): Arr { return this.push(new Str(s)); }
  /** Removes the item at `i`; later items move down by one. */
  removeAt(i: i32): void { this.items.splice(i, 1); }
  /** The index of the first string item equal to `s`, or -1. */
  indexOfString(s: string): i32 {
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i];
      if (item.kind == Kind.Str && changetype<Str>(item).value == s) return i;
    }
    return -1;
  }
}

/**
 * A JSON object. Keys keep the order they were parsed or set in. Keys and values sit in two
 * exact-size `StaticArray`s: one block each, no spare capacity, because a guest holding a list
 * of a thousand objects pays for every byte of per-object overhead. Lookups scan linearly:
 * Kubernetes objects have a handful of keys per level, where a scan beats a hash map in both
 * code size and memory. Adding or removing a key copies the arrays (objects are built by
 * hand with a few keys; the parser builds them in one go).
 */
export class Obj extends Value {
  /** The keys, in order (read-only: change the object with `set` and `delete`). */
  keys!: StaticArray<string>;
  /** The values, in the order of `keys` (read-only, like `keys`). */
  values!: StaticArray<Value>;

  constructor(keys: StaticArray<string> = new StaticArray<string>(0), values: StaticArray<Value> = new StaticArray<Value>(0)) {
    super(Kind.Obj);
    this.keys = keys;
    this.values = values;
  }

  get size(): i32 { return this.keys.length; }
  indexOf(key: string): i32 {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] == key) return i;
    return -1;
  }
  has(key: string): bool { return this.indexOf(key) >= 0; }
  get(key: string): Value | null {
    const i = this.indexOf(key);
    return i < 0 ? null : this.values[i];
  }
  /** Sets `key` (replacing its value in place, or appending it); returns this, for chaining. */
  set(key: string, value: Value): Obj {
    const i = this.indexOf(key);
    if (i >= 0) {
      this.values[i] = value;
      return this;
    }
    const n = this.keys.length;
    const keys = new StaticArray<string>(n + 1);
    const values = new StaticArray<Value>(n + 1);
    for (let j = 0; j < n; j++) {
      keys[j] = this.keys[j];
      values[j] = this.values[j];
    }
    keys[n] = key;
    values[n] = value;
    this.keys = keys;
    this.values = values;
    return this;
  }
  /** Removes `key`; false when it was absent. */
  delete(key: string): bool {
    const i = this.indexOf(key);
    if (i < 0) return false;
    const n = this.keys.length - 1;
    const keys = new StaticArray<string>(n);
    const values = new StaticArray<Value>(n);
    for (let j = 0, k = 0; j <= n; j++) {
      if (j == i) continue;
      keys[k] = this.keys[j];
      values[k++] = this.values[j];
    }
    this.keys = keys;
    this.values = values;
    return true;
  }

  getObj(key: string): Obj | null { const v = this.get(key); return v == null ? null : v.asObj(); }
  getArr(key: string): Arr | null { const v = this.get(key); return v == null ? null : v.asArr(); }
  getString(key: string): string | null { const v = this.get(key); return v == null ? null : v.asString(); }
  /** The string at `key`, or `fallback` when it is absent or not a string. */
  str(key: string, fallback: string = ""): string {
    const s = this.getString(key);
    return s == null ? fallback : s;
  }
  getI64(key: string, fallback: i64 = 0): i64 { const v = this.get(key); return v == null ? fallback : v.asI64(fallback); }
  getF64(key: string, fallback: f64 = 0): f64 { const v = this.get(key); return v == null ? fallback : v.asF64(fallback); }
  getBool(key: string, fallback: bool = false): bool { const v = this.get(key); return v == null ? fallback : v.asBool(fallback); }

  /** The object at `key`, created (replacing any non-object there) when missing. */
  obj(key: string): Obj {
    const existing = this.getObj(key);
    if (existing != null) return existing;
    const created = new Obj();
    this.set(key, created);
    return created;
  }
  /** The array at `key`, created (replacing any non-array there) when missing. */
  arr(key: string): Arr {
    const existing = this.getArr(key);
    if (existing != null) return existing;
    const created = new Arr();
    this.set(key, created);
    return created;
  }

  setString(key: string, value: string): Obj { return this.set(key, new Str(value)); }
  setI64(key: string, value: i64): Obj { return this.set(key, Num.fromI64(value)); }
  setF64(key: string, value: f64): Obj { return this.set(key, Num.fromF64(value)); }
  setBool(key: string, value: bool): Obj { return this.set(key, new Bool(value)); }
  setNull(key: string): Obj { return this.set(key, new Null()); }

  /** A deep copy of this object. */
  cloneObj(): Obj { return changetype<Obj>(this.clone()); }
}
