/**
 * One step of a field path, as structured-merge-diff (kube-apiserver's apply engine) names it:
 * a struct field or map key (`f:name`), a list item by its map keys (`k:{"name":"web"}`), a set
 * item by value (`v:"x"`), or a list item by index (`i:0`). The `f:`/`k:`/`v:`/`i:` strings are
 * the keys of `metadata.managedFields[].fieldsV1`.
 */
import { isJsonObject, type JsonValue } from '../json.ts';

export type PathElement =
  | { readonly field: string }
  | { readonly key: readonly (readonly [string, JsonValue])[] }
  | { readonly value: JsonValue }
  | { readonly index: number };

export function fieldElement(name: string): PathElement {
  return { field: name };
}

/** A list-map item's key: the named fields, sorted by name as kube sorts them. */
export function keyElement(fields: Iterable<readonly [string, JsonValue]>): PathElement {
  return { key: [...fields].sort(([a], [b]) => compareStrings(a, b)) };
}

/** The `fieldsV1` spelling, e.g. `f:metadata`, `k:{"containerPort":80,"protocol":"TCP"}`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',')}}`;
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

/** Reads one `fieldsV1` key; undefined for anything that is not one. */
export function parsePathElement(text: string): PathElement | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const body = text.slice(colon + 1);
  try {
    switch (text.slice(0, colon)) {
      case 'f':
        return { field: body };
      case 'k': {
        const fields = JSON.parse(body) as JsonValue;
        return isJsonObject(fields) ? keyElement(Object.entries(fields)) : undefined;
      }
      case 'v':
        return { value: JSON.parse(body) as JsonValue };
      case 'i':
        return /^-?\d+$/.test(body) ? { index: Number(body) } : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** As kube prints a path in conflict messages: `.spec.containers[name="web"].image`. */
export function pathToString(path: readonly PathElement[]): string {
  return path.map((pe) => {
    if ('field' in pe) return `.${pe.field}`;
    if ('key' in pe) return `[${pe.key.map(([name, value]) => `${name}=${valueToString(value)}`).join(',')}]`;
    if ('value' in pe) return `[=${valueToString(pe.value)}]`;
    return `[${pe.index}]`;
  }).join('');
}

function valueToString(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueToString).join(',')}]`;
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${valueToString(v)}`).join('');
  return String(value);
}

/** kube's order of path elements (fields, then keys, values, indices), which `fieldsV1` follows. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const rank = (pe: PathElement): number => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('key' in a && 'key' in b) return compareKeys(a.key, b.key);
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return Math.sign(a.index - b.index);
  return 0;
}

function compareKeys(a: readonly (readonly [string, JsonValue])[], b: readonly (readonly [string, JsonValue])[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byName = compareStrings(a[i]![0], b[i]![0]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[i]![1], b[i]![1]);
    if (byValue !== 0) return byValue;
  }
  return Math.sign(a.length - b.length);
}

/** kube's total order of values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const rank = (v: JsonValue): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v === null ? 5 : 4);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (isJsonObject(a) && isJsonObject(b)) return compareKeys(Object.entries(a).sort(([x], [y]) => compareStrings(x, y)), Object.entries(b).sort(([x], [y]) => compareStrings(x, y)));
  return 0;
}

/** Byte-wise order, as Go compares strings (UTF-16 order differs only outside the BMP). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
