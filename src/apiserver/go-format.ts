/**
 * JSON values printed as Go's `fmt` prints the values they decode to, because kube-apiserver's
 * messages embed them that way and clients show those messages verbatim: `%v` (strategic
 * merge patch errors), `%#v` (field errors' values), and the typed `%#v` of the label maps
 * and selectors that validation messages show.
 */
import { isJsonObject, type JsonValue } from './json.ts';

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

/**
 * A decoded JSON value as Go's `%#v` prints it, which is what kube-apiserver shows for
 * list and object values (`[]interface {}{"a", 1}`, `map[string]interface {}{"k":"v"}`).
 */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${goSyntax((value as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * Some kube-apiserver messages print typed Go values with `%#v`; these helpers write the
 * same text for the values users meet in them (label maps and label selectors).
 */
export function goStringMap(value: JsonValue | undefined): string {
  if (!isJsonObject(value)) return 'map[string]string(nil)';
  const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(typeof value[k] === 'string' ? value[k] : '')}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}` */
export function goLabelSelector(selector: JsonValue | undefined): string {
  const s = isJsonObject(selector) ? selector : {};
  const exprs = Array.isArray(s.matchExpressions) ? s.matchExpressions.filter(isJsonObject) : undefined;
  const exprText = exprs === undefined ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) => {
      const values = Array.isArray(e.values) ? goStringSlice(e.values.map(String)) : '[]string(nil)';
      return `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key ?? '')}, Operator:${JSON.stringify(e.operator ?? '')}, Values:${values}}`;
    }).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** A list of strings as `%#v` prints a `[]string`: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
