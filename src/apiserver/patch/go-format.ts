import type { JsonValue } from '../json.ts';

/**
 * A JSON value as Go's `fmt` prints the `interface{}` it decodes to with `%v`
 * (`map[image:nginx name:web]`, `[a b]`, `<nil>`): kube-apiserver's strategic merge patch
 * errors embed values that way, and clients show those messages verbatim.
 */
export function goValue(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value).sort().map((key) => `${key}:${goValue(value[key])}`);
    return `map[${members.join(' ')}]`;
  }
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}

/** Go's name for the dynamic type of a decoded JSON value (`reflect.TypeOf(v)` printed with `%s`). */
export function goType(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  switch (typeof value) {
    case 'object': return 'map[string]interface {}';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    default: return Number.isInteger(value) ? 'int64' : 'float64';
  }
}

function goNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  // %v of a float64 is %g with the shortest representation: exponent with a sign and two digits.
  const text = String(value);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}
