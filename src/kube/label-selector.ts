/**
 * Label selectors in the syntax of `kubectl -l` (apimachinery's `labels.Parse`), matched
 * against an object's labels by the informers' stores.
 */
import { LabelSelectorError } from './errors.ts';

/** One condition on one label. */
export type LabelRequirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'exists' | 'doesnotexist' }
  | { key: string; operator: 'gt' | 'lt'; value: number };

/** All requirements must hold; an empty list matches everything. */
export type LabelSelector = readonly LabelRequirement[];

/** The `metav1.LabelSelector` object form (`matchLabels`, `matchExpressions`). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

const keyPattern = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Parses `app=web,tier!=db,env in (prod,staging),!legacy`. Supports `=`, `==`, `!=`, `in`,
 * `notin`, existence (`key`, `!key`) and `>`/`<` on integers. Throws `LabelSelectorError`
 * naming the term that is wrong.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const raw of splitTerms(text, text)) {
    const term = raw.trim();
    const fail = (problem: string): never => {
      throw new LabelSelectorError(text, `"${term}": ${problem}`);
    };
    let match: RegExpMatchArray | null;
    if ((match = /^!\s*(\S+)$/.exec(term))) {
      requirements.push({ key: checkKey(match[1]!, fail), operator: 'doesnotexist' });
    } else if ((match = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term))) {
      const values = match[3]!.split(',').map((v) => checkValue(v.trim(), fail));
      requirements.push({ key: checkKey(match[1]!, fail), operator: match[2] as 'in' | 'notin', values });
    } else if ((match = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(term))) {
      const key = checkKey(match[1]!, fail);
      const op = match[2]!;
      if (op === '<' || op === '>') {
        if (!/^-?\d+$/.test(match[3]!)) fail('needs an integer after < or >');
        requirements.push({ key, operator: op === '>' ? 'gt' : 'lt', value: Number(match[3]) });
      } else {
        requirements.push({ key, operator: op === '!=' ? 'notin' : 'in', values: [checkValue(match[3]!, fail)] });
      }
    } else if (/^\S+$/.test(term)) {
      requirements.push({ key: checkKey(term, fail), operator: 'exists' });
    } else {
      fail('expected key, !key, key=value, key!=value, key in (...), or key notin (...)');
    }
  }
  return requirements;
}

/** The object form, as in a Deployment's `spec.selector`. */
export function labelSelectorFromObject(selector: LabelSelectorObject): LabelSelector {
  const requirements: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'in', values: [value] }));
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'Exists' || e.operator === 'DoesNotExist') requirements.push({ key: e.key, operator: e.operator === 'Exists' ? 'exists' : 'doesnotexist' });
    else requirements.push({ key: e.key, operator: e.operator === 'In' ? 'in' : 'notin', values: [...(e.values ?? [])] });
  }
  return requirements;
}

/** True when `labels` satisfy every requirement (`notin` and `!=` also hold for an absent label, as in Kubernetes). */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  return selector.every((r) => {
    const value = labels?.[r.key];
    switch (r.operator) {
      case 'in': return value !== undefined && r.values.includes(value);
      case 'notin': return value === undefined || !r.values.includes(value);
      case 'exists': return value !== undefined;
      case 'doesnotexist': return value === undefined;
      case 'gt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) > r.value;
      case 'lt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) < r.value;
    }
  });
}

/**
 * The selector in a canonical text form: requirements sorted by key, set values sorted. Two
 * selectors that mean the same thing print the same, so informers keyed by it are shared.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  return [...selector]
    .map((r): [string, string] => {
      switch (r.operator) {
        case 'exists': return [r.key, r.key];
        case 'doesnotexist': return [r.key, `!${r.key}`];
        case 'gt': return [r.key, `${r.key}>${r.value}`];
        case 'lt': return [r.key, `${r.key}<${r.value}`];
        case 'in':
        case 'notin': {
          const values = [...new Set(r.values)].sort();
          if (values.length === 1) return [r.key, `${r.key}${r.operator === 'in' ? '=' : '!='}${values[0]}`];
          return [r.key, `${r.key} ${r.operator} (${values.join(',')})`];
        }
      }
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

// Commas separate terms, except inside the parentheses of `in (...)`.
function splitTerms(text: string, whole: string): string[] {
  if (text.trim() === '') return [];
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) throw new LabelSelectorError(whole, 'unbalanced parentheses');
  }
  if (depth !== 0) throw new LabelSelectorError(whole, 'unbalanced parentheses');
  terms.push(text.slice(start));
  return terms;
}

function checkKey(key: string, fail: (problem: string) => never): string {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!keyPattern.test(key) || name.length > 63) fail(`"${key}" is not a valid label key`);
  return key;
}

function checkValue(value: string, fail: (problem: string) => never): string {
  if (!valuePattern.test(value) || value.length > 63) fail(`"${value}" is not a valid label value`);
  return value;
}
