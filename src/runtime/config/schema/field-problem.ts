/**
 * One problem with one field of a document, worded like kube-apiserver's field errors
 * (`spec.module: Required value`, `spec.idlePolicy: Unsupported value: "x": supported values: ...`).
 */

/** Where the field is: property names and array indices from the document's root. */
export type FieldPath = readonly (string | number)[];

export interface FieldProblem {
  path: FieldPath;
  type: 'Required' | 'Invalid' | 'Unsupported' | 'Unknown';
  /** The offending value (shown for Invalid and Unsupported). */
  value?: unknown;
  detail?: string;
}

/** `spec.permissions[0].verbs`; keys that are not plain words go in brackets: `labels[example.com/app]`. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${part}]`;
  }
  return text === '' ? '<root>' : text;
}

/** The problem as one line: `<field>: <what is wrong>`. */
export function formatProblem(problem: FieldProblem): string {
  const value = 'value' in problem ? `: ${formatValue(problem.value)}` : '';
  const detail = problem.detail === undefined ? '' : `: ${problem.detail}`;
  const body = {
    Required: `Required value${detail}`,
    Invalid: `Invalid value${value}${detail}`,
    Unsupported: `Unsupported value${value}${detail}`,
    Unknown: `Unknown field${detail}`,
  }[problem.type];
  return `${formatPath(problem.path)}: ${body}`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'array' : 'object';
  return JSON.stringify(value);
}
