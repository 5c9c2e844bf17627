import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';

/**
 * Sets `object[key]` as an own data member, even for the key `__proto__`, which a plain
 * assignment would turn into a prototype change. Every write of a key that came off the wire
 * goes through here.
 */
export function setMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** The own member `key` of `object`, or undefined; never something inherited. */
export function getMember(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Structural equality of two JSON values: same types, same members, arrays in the same order. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]!));
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!));
}

/**
 * A deep copy of a JSON value. Much cheaper than `structuredClone`, which serializes through
 * the generic clone algorithm: a write copies objects several times on its way to the store.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: JsonObject = {};
    // setMember: a `__proto__` member that came off the wire stays a member.
    for (const key of Object.keys(value)) setMember(copy, key, cloneJson((value as JsonObject)[key]!));
    return copy as T;
  }
  return value;
}
