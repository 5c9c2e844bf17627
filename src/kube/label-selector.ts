/**
 * Kubernetes label selectors: the string form (`?labelSelector=` on the wire) and the object
 * form (`matchLabels` / `matchExpressions` in specs), parsed into one list of requirements
 * with the API server's semantics.
 */
import { LabelSelectorError } from './errors.ts';
import { labelKeyProblem, labelValueProblem } from './label-names.ts';

/**
 * One requirement. `a=b` parses as `In [b]` and `a!=b` as `NotIn [b]` (same meaning). `NotIn`
 * and `DoesNotExist` also match objects without the label; `Gt`/`Lt` need an integer value.
 */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: readonly string[];
}

/** A parsed selector: every requirement must hold. Empty selects everything. */
export type LabelSelector = readonly LabelRequirement[];

/** The object form, as in a Deployment's `spec.selector` (metav1.LabelSelector). */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: ReadonlyArray<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: readonly string[] }>;
}

/** True when `labels` (absent means none) satisfy every requirement. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  return selector.every((r) => {
    const value = labels?.[r.key];
    switch (r.operator) {
      case 'In':
        return value !== undefined && r.values.includes(value);
      case 'NotIn':
        return value === undefined || !r.values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'Gt':
      case 'Lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const [have, bound] = [Number(value), Number(r.values[0])];
        return r.operator === 'Gt' ? have > bound : have < bound;
      }
    }
  });
}

/** The canonical string form (requirements by key, values sorted), as sent in `?labelSelector=`. */
export function formatLabelSelector(selector: LabelSelector): string {
  return [...selector]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      const values = [...r.values].sort();
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Gt':
          return `${r.key}>${values[0]}`;
        case 'Lt':
          return `${r.key}<${values[0]}`;
        case 'In':
          return values.length === 1 ? `${r.key}=${values[0]}` : `${r.key} in (${values.join(',')})`;
        case 'NotIn':
          return values.length === 1 ? `${r.key}!=${values[0]}` : `${r.key} notin (${values.join(',')})`;
      }
    })
    .join(',');
}

/** The object form as requirements; throws LabelSelectorError naming the bad key, operator or value. */
export function labelSelectorFromObject(object: LabelSelectorObject): LabelSelector {
  const text = JSON.stringify(object);
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(object.matchLabels ?? {})) {
    requirements.push(checked(text, { key, operator: 'In', values: [value] }));
  }
  for (const [i, e] of (object.matchExpressions ?? []).entries()) {
    const values = e.values ?? [];
    const where = `matchExpressions[${i}]`;
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      throw new LabelSelectorError(text, `${where}: values must be non-empty when operator is ${e.operator}`);
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
      throw new LabelSelectorError(text, `${where}: values must be empty when operator is ${e.operator}`);
    }
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) {
      throw new LabelSelectorError(text, `${where}: "${String(e.operator)}" is not a valid operator (In, NotIn, Exists, DoesNotExist)`);
    }
    requirements.push(checked(text, { key: e.key, operator: e.operator, values: [...values] }));
  }
  return requirements;
}

/** Validates a requirement's key and values as the API server would. */
export function checked(selector: string, r: LabelRequirement): LabelRequirement {
  const keyProblem = labelKeyProblem(r.key);
  if (keyProblem !== undefined) throw new LabelSelectorError(selector, `invalid label key "${r.key}": ${keyProblem}`);
  for (const value of r.values) {
    if (r.operator === 'Gt' || r.operator === 'Lt') {
      if (!/^-?\d+$/.test(value)) throw new LabelSelectorError(selector, `"${r.key}": the value of ${r.operator === 'Gt' ? '>' : '<'} must be an integer, got "${value}"`);
      continue;
    }
    const problem = labelValueProblem(value);
    if (problem !== undefined) throw new LabelSelectorError(selector, `invalid label value "${value}" for "${r.key}": ${problem}`);
  }
  return r;
}

// The string form, parsed with the grammar of apimachinery's `labels.Parse`: `a=b`, `a==b`,
// `a!=b`, `a in (b,c)`, `a notin (b)`, `a`, `!a`, `a>1`, `a<1`, joined by commas, whitespace
// allowed between tokens.

type Token = { kind: 'word'; text: string } | { kind: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '<' | '>' | 'end' };

const symbols = ['!=', '==', '!', '=', '(', ')', ',', '<', '>'] as const;

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    if (/\s/.test(selector[i]!)) {
      i++;
      continue;
    }
    const symbol = symbols.find((s) => selector.startsWith(s, i));
    if (symbol !== undefined) {
      tokens.push({ kind: symbol });
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < selector.length && !/[\s!=(),<>]/.test(selector[end]!)) end++;
    tokens.push({ kind: 'word', text: selector.slice(i, end) });
    i = end;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'word' ? `"${token.text}"` : token.kind === 'end' ? 'the end of the selector' : `"${token.kind}"`;
}

/** Parses `selector`; throws LabelSelectorError saying what was expected where. `""` selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  const tokens = tokenize(selector);
  let at = 0;
  const peek = () => tokens[at]!;
  const fail = (expected: string): never => {
    throw new LabelSelectorError(selector, `expected ${expected}, found ${describe(peek())}`);
  };
  const word = (expected: string): string => {
    const token = peek();
    if (token.kind !== 'word') return fail(expected);
    at++;
    return token.text;
  };
  const optionalValue = (): string => (peek().kind === 'word' ? word('a value') : '');

  const values = (key: string): string[] => {
    if (peek().kind !== '(') fail(`"(" after "in" or "notin" for "${key}"`);
    at++;
    const list = [optionalValue()];
    while (peek().kind === ',') {
      at++;
      list.push(optionalValue());
    }
    if (peek().kind !== ')') fail(`"," or ")" in the values of "${key}"`);
    at++;
    if (list.length === 1 && list[0] === '') throw new LabelSelectorError(selector, `"${key}": the values of in and notin must not be empty`);
    return list;
  };

  const requirement = (): LabelRequirement => {
    if (peek().kind === '!') {
      at++;
      return { key: word('a label key after "!"'), operator: 'DoesNotExist', values: [] };
    }
    const key = word('a label key');
    const token = peek();
    switch (token.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists', values: [] };
      case '=':
      case '==':
      case '!=':
        at++;
        return { key, operator: token.kind === '!=' ? 'NotIn' : 'In', values: [optionalValue()] };
      case '<':
      case '>':
        at++;
        return { key, operator: token.kind === '>' ? 'Gt' : 'Lt', values: [word(`an integer after "${token.kind}"`)] };
      case 'word':
        if (token.text === 'in' || token.text === 'notin') {
          at++;
          return { key, operator: token.text === 'in' ? 'In' : 'NotIn', values: values(key) };
        }
    }
    return fail(`an operator (=, ==, !=, in, notin, <, >) or "," after "${key}"`);
  };

  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    requirements.push(checked(selector, requirement()));
    if (peek().kind === 'end') return requirements;
    if (peek().kind !== ',') fail('"," between requirements');
    at++;
  }
}
