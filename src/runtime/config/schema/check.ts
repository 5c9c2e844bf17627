/**
 * The validator side of the schema language: every problem in a value, not just the first,
 * so a user fixes a document in one round.
 */
import type { FieldPath, FieldProblem } from './field-problem.ts';
import type { Schema, SchemaNode } from './schema.ts';

/**
 * Appends to `problems` every way `value` fails `node` (`path` is where the value sits) and
 * returns the value with null fields dropped, as the API server prunes them: in YAML an
 * empty `field:` is null and means "not set". Inside free-form objects nulls are kept.
 */
export function checkValue(node: SchemaNode, value: unknown, path: FieldPath, problems: FieldProblem[]): unknown {
  const invalid = (detail: string) => problems.push({ path, type: 'Invalid', value, detail });
  switch (node.type) {
    case 'string': {
      if (typeof value !== 'string') return void invalid('must be a string');
      if (node.enum !== undefined && !node.enum.includes(value)) {
        problems.push({ path, type: 'Unsupported', value, detail: `supported values: ${node.enum.map((v) => JSON.stringify(v)).join(', ')}` });
      } else if (node.maxLength !== undefined && value.length > node.maxLength) {
        invalid(`must be no more than ${node.maxLength} characters`);
      } else {
        const why = node.check?.(value) ?? (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value) ? `must match ${node.pattern}` : undefined);
        if (why !== undefined) invalid(why);
      }
      return value;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) invalid('must be an integer');
      else if (node.minimum !== undefined && value < node.minimum) invalid(`must be greater than or equal to ${node.minimum}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') invalid('must be a boolean');
      return value;
    case 'intOrString': {
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) return void invalid('must be an integer or a string');
      const why = node.check?.(value);
      if (why !== undefined) invalid(why);
      return value;
    }
    case 'array': {
      if (!Array.isArray(value)) return void invalid('must be an array');
      if (node.minItems !== undefined && value.length < node.minItems) invalid(`must have at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
      const seen = new Set<string>();
      return value.map((item, i) => {
        const key = node.listType === 'set' ? JSON.stringify(item) : node.listType === 'map' ? JSON.stringify(node.listMapKeys?.map((k) => (item as Record<string, unknown>)?.[k])) : undefined;
        if (key !== undefined && seen.has(key)) {
          const what = node.listType === 'map' ? `duplicate ${node.listMapKeys?.join(', ')}` : 'duplicate value';
          problems.push({ path: [...path, i], type: 'Invalid', value: item, detail: what });
        }
        if (key !== undefined) seen.add(key);
        return checkValue(node.items, item, [...path, i], problems);
      });
    }
    case 'map':
      if (!isPlainObject(value)) return void invalid('must be an object');
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, checkValue(node.values, item, [...path, key], problems)]));
    case 'freeForm':
      if (!isPlainObject(value)) invalid('must be an object');
      return value;
    case 'object':
      return checkObject(node, value, path, problems);
  }
}

/** `value` typed by `schema` (nulls dropped) when it has no problems; otherwise undefined, with the problems appended. */
export function validate<T>(schema: Schema<T>, value: unknown, path: FieldPath, problems: FieldProblem[]): T | undefined {
  const before = problems.length;
  const cleaned = checkValue(schema, value, path, problems);
  return problems.length === before ? (cleaned as T) : undefined;
}

function checkObject(node: Extract<SchemaNode, { type: 'object' }>, value: unknown, path: FieldPath, problems: FieldProblem[]): unknown {
  if (!isPlainObject(value)) return void problems.push({ path, type: 'Invalid', value, detail: 'must be an object' });
  const cleaned: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(node.fields)) {
    if (value[name] === undefined || value[name] === null) {
      if (field.required) problems.push({ path: [...path, name], type: 'Required' });
    } else {
      cleaned[name] = checkValue(field.node, value[name], [...path, name], problems);
    }
  }
  for (const name of Object.keys(value)) {
    if (name in node.fields) continue;
    if (node.open === true) {
      cleaned[name] = value[name];
      continue;
    }
    const near = Object.keys(node.fields).find((known) => known.toLowerCase() === name.toLowerCase());
    problems.push({ path: [...path, name], type: 'Unknown', ...(near === undefined ? {} : { detail: `did you mean "${near}"?` }) });
  }
  if (node.exactlyOne !== undefined) {
    const set = node.exactlyOne.filter((name) => cleaned[name] !== undefined);
    const which = node.exactlyOne.join(', ');
    if (set.length === 0) problems.push({ path, type: 'Required', detail: `one of ${which} must be set` });
    if (set.length > 1) problems.push({ path, type: 'Invalid', value, detail: `only one of ${which} may be set, got ${set.join(' and ')}` });
  }
  for (const rule of node.rules ?? []) if (!rule.holds(cleaned)) problems.push({ path, type: 'Invalid', value, detail: rule.message });
  const why = node.check?.(cleaned);
  if (why !== undefined) problems.push({ path, type: 'Invalid', value, detail: why });
  return cleaned;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
