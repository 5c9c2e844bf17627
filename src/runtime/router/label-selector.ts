/**
 * Kubernetes label selectors: the string form (`?labelSelector=` on the wire) and the object
 * form (`matchLabels` / `matchExpressions` in specs), parsed into one list of requirements
 * with the API server's semantics.
 */
import { LabelSelectorError } from '../errors.ts';
import { labelKeyProblem, labelValueProblem } from './label-names.ts';

/**
 * One requirement. `a=b` parses as `In [b]` and `a!=b` as `NotIn [b]` (same meaning). `NotIn`
 * and `DoesNotExist` also match objects without the label; `Gt`/`Lt` need an integer value.
 */
export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: readonly string[];
}

/** A parsed selector: every requirement must hold. Empty selects everything. */
export type Selector = readonly Requirement[];

/** The object form, as in a Deployment's `spec.selector` (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: ReadonlyArray<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: readonly string[] }>;
}

/** True when `labels` (absent means none) satisfy every requirement. */
export function matchesSelector(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
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
export function formatSelector(selector: Selector): string {
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
export function selectorFromObject(object: LabelSelector): Selector {
  const text = JSON.stringify(object);
  const requirements: Requirement[] = [];
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
export function checked(selector: string, r: Requirement): Requirement {
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
