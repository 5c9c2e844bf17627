import { WasmOperatorError } from '../../errors.ts';
import { isJsonObject, type JsonValue } from '../json.ts';

/**
 * The JSONPath dialect of kubectl and of CRD `additionalPrinterColumns` (client-go's
 * jsonpath, with missing keys allowed): `.spec.replicas`, `['a.b']`, `[0]`, `[-1]`,
 * `[1:3]`, `[*]`, `..name` and filters such as `[?(@.type=="Ready")]`. Returns every match
 * in document order; a path that does not match returns no values (never an error).
 * Throws a JsonPathError for a path it cannot parse.
 */
export function evaluateJsonPath(path: string, root: JsonValue): JsonValue[] {
  return compileJsonPath(path)(root);
}

/** A path that failed to parse; the message names the path and the problem. */
export class JsonPathError extends WasmOperatorError {
  constructor(path: string, problem: string) {
    super('JSONPATH_INVALID', `unrecognized column definition ${JSON.stringify(path)}: ${problem}`, { path });
  }
}

type Step = (values: JsonValue[]) => JsonValue[];

/** Parses once; the returned function evaluates against any number of objects. */
export function compileJsonPath(path: string): (root: JsonValue) => JsonValue[] {
  let src = path.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1);
  const steps: Step[] = [];
  let i = 0;
  const fail = (problem: string): never => {
    throw new JsonPathError(path, problem);
  };
  if (src.startsWith('$')) i = 1;
  while (i < src.length) {
    if (src.startsWith('..', i)) {
      i += 2;
      const m = /^[A-Za-z0-9_\-/]+/.exec(src.slice(i));
      if (m === null) fail('expected a field name after ..');
      i += m![0].length;
      const name = m![0];
      steps.push((vs) => vs.flatMap((v) => descendants(v)).flatMap((v) => (isJsonObject(v) && name in v ? [v[name]!] : [])));
    } else if (src[i] === '.') {
      i++;
      const m = /^[A-Za-z0-9_\-/]*/.exec(src.slice(i))!;
      i += m[0].length;
      const name = m[0];
      if (name === '') continue;
      if (name === '*') steps.push(children);
      else steps.push((vs) => vs.flatMap((v) => (isJsonObject(v) && name in v ? [v[name]!] : [])));
      if (src[i] === '*') {
        i++;
        steps.push(children);
      }
    } else if (src[i] === '[') {
      const end = matchingBracket(src, i);
      if (end < 0) fail('unterminated [');
      steps.push(bracketStep(src.slice(i + 1, end).trim(), fail));
      i = end + 1;
    } else if (src[i] === '*') {
      i++;
      steps.push(children);
    } else {
      fail(`unexpected ${JSON.stringify(src[i])}`);
    }
  }
  return (root) => steps.reduce((vs, step) => step(vs), [root]);
}

function matchingBracket(src: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function children(vs: JsonValue[]): JsonValue[] {
  return vs.flatMap((v) => (Array.isArray(v) ? v : isJsonObject(v) ? Object.values(v) : []));
}

function descendants(v: JsonValue): JsonValue[] {
  const kids = Array.isArray(v) ? v : isJsonObject(v) ? Object.values(v) : [];
  return [v, ...kids.flatMap(descendants)];
}

function bracketStep(inner: string, fail: (p: string) => never): Step {
  if (inner === '*') return children;
  if (inner.startsWith('?(') && inner.endsWith(')')) return filterStep(inner.slice(2, -1).trim(), fail);
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted !== null) {
    const key = quoted[2]!;
    return (vs) => vs.flatMap((v) => (isJsonObject(v) && key in v ? [v[key]!] : []));
  }
  const slice = /^(-?\d*):(-?\d*)(?::(\d+))?$/.exec(inner);
  if (slice !== null) {
    return (vs) => vs.flatMap((v) => {
      if (!Array.isArray(v)) return [];
      const norm = (s: string | undefined, dflt: number): number => (s === undefined || s === '' ? dflt : Number(s) < 0 ? v.length + Number(s) : Number(s));
      const step = slice[3] === undefined ? 1 : Number(slice[3]);
      const out: JsonValue[] = [];
      for (let k = Math.max(0, norm(slice[1], 0)); k < Math.min(v.length, norm(slice[2], v.length)); k += step) out.push(v[k]!);
      return out;
    });
  }
  if (/^-?\d+(\s*,\s*-?\d+)*$/.test(inner)) {
    const indexes = inner.split(',').map((s) => Number(s.trim()));
    return (vs) => vs.flatMap((v) => (Array.isArray(v) ? indexes.map((n) => v[n < 0 ? v.length + n : n]).filter((x): x is JsonValue => x !== undefined) : []));
  }
  return fail(`unsupported [${inner}]`);
}

function filterStep(expr: string, fail: (p: string) => never): Step {
  const m = /^@((?:\.[A-Za-z0-9_\-/]+|\[['"][^'"]*['"]\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(expr);
  if (m === null) return fail(`unsupported filter ${expr}`);
  const sub = compileJsonPath(m[1] === '' ? '.' : m[1]!);
  const op = m[2];
  const literal = m[3] === undefined ? undefined : parseLiteral(m[3].trim());
  return (vs) => children(vs).filter((item) => {
    const found = sub(item);
    if (op === undefined) return found.length > 0;
    return found.some((x) => compare(x, op, literal));
  });
}

function parseLiteral(s: string): JsonValue {
  const q = /^(['"])(.*)\1$/.exec(s);
  if (q !== null) return q[2]!;
  if (s === 'true' || s === 'false') return s === 'true';
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

function compare(a: JsonValue, op: string, b: JsonValue | undefined): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return (a as number) < (b as number);
    case '>': return (a as number) > (b as number);
    case '<=': return (a as number) <= (b as number);
    default: return (a as number) >= (b as number);
  }
}
