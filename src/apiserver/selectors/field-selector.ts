/**
 * Field selectors (`metadata.name=web,status.phase!=Running`): terms joined by commas, each
 * `=`, `==` or `!=`, with `\` escaping `,`, `=` and `!` in values, as kube parses them.
 */
import { SelectorError } from './label-selector.ts';

export interface FieldRequirement {
  field: string;
  operator: 'equals' | 'notEquals';
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

/** Parses a selector; the empty string selects everything. Throws SelectorError. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitUnescaped(text, ',')) {
    if (term.trim() === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(findOperator(term));
    if (m === null) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`, text);
    const opIndex = m[1]!.length;
    const field = term.slice(0, opIndex).trim();
    const op = m[2]!;
    const value = unescape(term.slice(opIndex + op.length));
    requirements.push({ field, operator: op === '!=' ? 'notEquals' : 'equals', value });
  }
  return requirements;
}

/** True when every requirement holds for the object's field values (absent fields read as ""). */
export function matchesFields(selector: FieldSelector, read: (field: string) => string | undefined): boolean {
  for (const r of selector) {
    const value = read(r.field) ?? '';
    if ((value === r.value) !== (r.operator === 'equals')) return false;
  }
  return true;
}

// Blanks escaped characters so the operator search ignores them (indices stay the same).
function findOperator(term: string): string {
  return term.replace(/\\./g, '__');
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]!;
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}
