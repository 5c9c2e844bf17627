import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { describe } from './descriptions.ts';
import { ageOf } from './human-duration.ts';
import { compileJsonPath } from './jsonpath.ts';
import type { TableColumnDefinition, TablePrinter } from './table-printer.ts';

/** A CRD version's `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** The column kube-apiserver prints for a CRD version that declares none. */
const defaultColumns: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: describe.creationTimestamp }];

export function nameColumn(): TableColumnDefinition {
  return { name: 'Name', type: 'string', format: 'name', description: describe.name, priority: 0 };
}

/**
 * The printer kube-apiserver builds for a custom resource: NAME, then the version's
 * `additionalPrinterColumns` (or AGE when there are none). A column shows the first value
 * its JSONPath finds, converted by the column type: `date` becomes an age such as `5m`,
 * `integer` and `number` cells stay numbers, a value of the wrong type prints empty.
 * Throws a JsonPathError for a column whose path does not parse (CRD validation refuses those).
 */
export function customResourcePrinter(columns: readonly PrinterColumn[] | undefined): TablePrinter {
  const declared = columns !== undefined && columns.length > 0 ? columns : defaultColumns;
  const paths = declared.map((c) => compileJsonPath(c.jsonPath));
  return {
    columns: [
      nameColumn(),
      ...declared.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description !== undefined && c.description !== '' ? c.description : `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ],
    cells(object, nowMs) {
      const meta = isJsonObject(object.metadata) ? object.metadata : {};
      return [typeof meta.name === 'string' ? meta.name : '', ...declared.map((c, i) => cell(c.type, paths[i]!(object)[0], nowMs))];
    },
  };
}

function cell(type: string, value: JsonValue | undefined, nowMs: number): JsonValue {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer': return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number': return typeof value === 'number' ? value : null;
    case 'boolean': return typeof value === 'boolean' ? value : null;
    case 'date': return typeof value === 'string' ? ageOf(value, nowMs) : null;
    case 'string': return typeof value === 'string' ? value : JSON.stringify(value);
    default: return null;
  }
}

/**
 * The printer for resources without printers of their own, such as
 * customresourcedefinitions: NAME and CREATED AT (an RFC 3339 time, not an age).
 */
export function defaultPrinter(): TablePrinter {
  return {
    columns: [nameColumn(), { name: 'Created At', type: 'date', format: '', description: describe.creationTimestamp, priority: 0 }],
    cells(object: JsonObject) {
      const meta = isJsonObject(object.metadata) ? object.metadata : {};
      const created = typeof meta.creationTimestamp === 'string' ? new Date(meta.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
      return [typeof meta.name === 'string' ? meta.name : '', created];
    },
  };
}
