/**
 * Label selectors in kube's string syntax (`app=web,tier in (a,b),!legacy`), parsed into
 * requirements that all must hold.
 */
import { WasmOperatorError } from '../../errors.ts';

export type LabelOperator = 'exists' | 'notExists' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type LabelSelector = readonly LabelRequirement[];

/** The selector string could not be parsed; the message says where. */
export class SelectorError extends WasmOperatorError {
  constructor(message: string, selector: string) {
    super('SELECTOR_INVALID', message, { selector });
  }
}

const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Parses a selector; the empty string selects everything. Throws SelectorError. */
export function parseLabelSelector(text: string): LabelSelector {
  const tokens = tokenize(text);
  const requirements: LabelRequirement[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: ${why}`, text);
  };
  const peek = () => tokens[i];
  while (i < tokens.length) {
    let negated = false;
    if (peek() === '!') {
      negated = true;
      i++;
    }
    const key = tokens[i++];
    if (key === undefined || isOperator(key)) fail(`found '${key ?? ''}', expected: identifier`);
    checkKey(key!, fail);
    const op = peek();
    if (negated) {
      if (op !== undefined && op !== ',') fail(`found '${op}', expected: ',' or 'end of string'`);
      requirements.push({ key: key!, operator: 'notExists', values: [] });
    } else if (op === undefined || op === ',') {
      requirements.push({ key: key!, operator: 'exists', values: [] });
    } else if (op === '=' || op === '==' || op === '!=' || op === '>' || op === '<') {
      i++;
      let value = peek();
      if (value === undefined || value === ',') value = '';
      else i++;
      if (isOperator(value)) fail(`found '${value}', expected: identifier`);
      checkValue(value, fail);
      if ((op === '>' || op === '<') && !/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      const operator: LabelOperator = op === '!=' ? 'notEquals' : op === '>' ? 'gt' : op === '<' ? 'lt' : 'equals';
      requirements.push({ key: key!, operator, values: [value] });
    } else if (op === 'in' || op === 'notin') {
      i++;
      if (tokens[i++] !== '(') fail(`found '${tokens[i - 1] ?? ''}', expected: '('`);
      const values: string[] = [];
      for (;;) {
        const t = tokens[i++];
        if (t === ')') break;
        if (t === undefined) fail("found 'end of string', expected: ')'");
        if (t === ',') continue;
        checkValue(t!, fail);
        values.push(t!);
      }
      if (values.length === 0 && op === 'in') fail("for 'in', 'notin' operators, values set can't be empty");
      requirements.push({ key: key!, operator: op === 'in' ? 'in' : 'notIn', values });
    } else {
      fail(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const sep = tokens[i];
    if (sep !== undefined && sep !== ',') fail(`found '${sep}', expected: ',' or 'end of string'`);
    i++;
    if (sep === ',' && i === tokens.length) fail("found '', expected: identifier after ','");
  }
  return requirements;
}

/** True when the labels satisfy every requirement. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of selector) {
    const value = labels?.[r.key];
    switch (r.operator) {
      case 'exists': if (value === undefined) return false; break;
      case 'notExists': if (value !== undefined) return false; break;
      case 'equals': if (value !== r.values[0]) return false; break;
      case 'notEquals': if (value === r.values[0]) return false; break;
      case 'in': if (value === undefined || !r.values.includes(value)) return false; break;
      case 'notIn': if (value !== undefined && r.values.includes(value)) return false; break;
      case 'gt': if (value === undefined || !(Number(value) > Number(r.values[0]))) return false; break;
      case 'lt': if (value === undefined || !(Number(value) < Number(r.values[0]))) return false; break;
    }
  }
  return true;
}

function isOperator(token: string): boolean {
  return ['!', '=', '==', '!=', '>', '<', '(', ')', ','].includes(token);
}

function checkKey(key: string, fail: (why: string) => never): void {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    fail(`Invalid value: ${JSON.stringify(key)}: prefix part must be a lowercase RFC 1123 subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !namePart.test(name)) {
    fail(`Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
}

function checkValue(value: string, fail: (why: string) => never): void {
  if (value.length > 63 || (value !== '' && !namePart.test(value))) {
    fail(`Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
  }
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '=' || c === '!') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push(two);
        i += 2;
      } else {
        tokens.push(c);
        i++;
      }
    } else if ('()<>,'.includes(c)) {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < text.length && !' \t=!()<>,'.includes(text[j]!)) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}
