/**
 * The docs side of the schema language: one row per field, for the reference in
 * docs/operators.md (a test keeps that file equal to this output).
 */
import type { SchemaNode } from './schema.ts';

/** One documented field: `spec.permissions[].verbs`, its type, whether it is required, what it means. */
export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** Every field under `node`, depth first, in definition order; `prefix` is the node's own path. */
export function fieldRows(node: SchemaNode, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (n: SchemaNode, path: string) => {
    const inner = n.type === 'array' ? n.items : n.type === 'map' ? n.values : n;
    const innerPath = n.type === 'array' ? `${path}[]` : n.type === 'map' ? `${path}.<key>` : path;
    if (inner.type === 'object') {
      for (const [name, field] of Object.entries(inner.fields)) {
        rows.push({ path: `${innerPath}.${name}`, type: typeLabel(field.node), required: field.required, description: describe(field.node) });
        visit(field.node, `${innerPath}.${name}`);
      }
    }
  };
  visit(node, prefix);
  return rows;
}

/** The rows as a Markdown table. */
export function markdownTable(rows: readonly FieldRow[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    '| Field | Type | Required | Description |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.path}\` | ${escape(r.type)} | ${r.required ? 'yes' : ''} | ${escape(r.description)} |`),
  ].join('\n');
}

function typeLabel(node: SchemaNode): string {
  switch (node.type) {
    case 'string':
      return node.format === undefined ? 'string' : `string (${node.format})`;
    case 'intOrString':
      return node.format === undefined ? 'integer or string' : `integer or string (${node.format})`;
    case 'array':
      return `[]${typeLabel(node.items)}`;
    case 'map':
      return `map[string]${typeLabel(node.values)}`;
    case 'freeForm':
      return 'object (any fields)';
    default:
      return node.type;
  }
}

function describe(node: SchemaNode): string {
  const notes: string[] = [node.description];
  const inner = node.type === 'array' ? node.items : node;
  if (inner.type === 'string' && inner.enum !== undefined) notes.push(`One of: ${inner.enum.map((v) => `\`${v}\``).join(', ')}.`);
  if (inner.type === 'object') {
    if (inner.exactlyOne !== undefined) notes.push(`Exactly one of ${inner.exactlyOne.map((v) => `\`${v}\``).join(', ')}.`);
    for (const rule of inner.rules ?? []) notes.push(`Rule: ${rule.message}.`);
  }
  return notes.join(' ');
}
