/**
 * The string form of a label selector, parsed with the grammar of apimachinery's
 * `labels.Parse`: `a=b`, `a==b`, `a!=b`, `a in (b,c)`, `a notin (b)`, `a`, `!a`, `a>1`, `a<1`,
 * joined by commas, whitespace allowed between tokens.
 */
import { LabelSelectorError } from '../errors.ts';
import { checked, type Requirement, type Selector } from './label-selector.ts';

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
export function parseSelector(selector: string): Selector {
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

  const requirement = (): Requirement => {
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

  const requirements: Requirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    requirements.push(checked(selector, requirement()));
    if (peek().kind === 'end') return requirements;
    if (peek().kind !== ',') fail('"," between requirements');
    at++;
  }
}
