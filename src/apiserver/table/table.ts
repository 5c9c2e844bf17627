import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';

/** One column of a `meta.k8s.io/v1` Table; every field is always serialized, as kube does. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0 for the columns `kubectl get` shows; higher ones only with `-o wide`. */
  priority: number;
}

/** A row condition (kubectl marks `Completed` pods with it). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: JsonValue[];
  conditions?: TableRowCondition[];
  object?: JsonObject;
}

/** The `Table` kube-apiserver returns for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: JsonObject;
  /** null in watch events after the first, as kube sends them. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** How a kind prints: its columns (all of them, as the server always prints "wide") and cells. */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(object: JsonObject, nowMs: number): JsonValue[];
  conditions?(object: JsonObject): TableRowCondition[] | undefined;
}

/** `includeObject`: what each row carries besides its cells. Metadata is the default. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject?: IncludeObject;
  /** Ages are computed against this instant. */
  nowMs: number;
  /** The list's metadata (resourceVersion, continue, remainingItemCount) to copy onto the table. */
  listMetadata?: JsonObject;
  /** Leave the column definitions out (watch events after the first). */
  omitColumns?: boolean;
  /** `v1` (default) or `v1beta1`, whichever the client asked for. */
  version?: 'v1' | 'v1beta1';
}

/**
 * Converts objects to the Table a kube-apiserver returns for them. Rows carry, by
 * `includeObject`: nothing, a `PartialObjectMetadata` (the default) or the whole object.
 */
export function buildTable(objects: readonly JsonObject[], printer: TablePrinter, options: TableOptions): Table {
  const version = options.version ?? 'v1';
  const rows = objects.map((object): TableRow => {
    const row: TableRow = { cells: printer.cells(object, options.nowMs) };
    const conditions = printer.conditions?.(object);
    if (conditions !== undefined) row.conditions = conditions;
    switch (options.includeObject ?? 'Metadata') {
      case 'None': break;
      case 'Object': row.object = object; break;
      case 'Metadata':
        row.object = { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: isJsonObject(object.metadata) ? object.metadata : {} };
        break;
    }
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: options.listMetadata ?? {},
    columnDefinitions: options.omitColumns ? null : printer.columns,
    rows,
  };
}

/**
 * The Table version an `Accept` header asks for, or undefined when it asks for plain JSON
 * first. kubectl sends `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.
 */
export function tableVersionFromAccept(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const clause of (accept ?? '').split(',')) {
    const [type, ...params] = clause.split(';').map((s) => s.trim());
    if (type !== 'application/json' && type !== '*/*') continue;
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((s) => s.trim())));
    if (p.as === undefined) return undefined;
    if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) return p.v;
  }
  return undefined;
}

/** Parses the `includeObject` query parameter; undefined for a value kube refuses. */
export function parseIncludeObject(value: string | null | undefined): IncludeObject | undefined {
  if (value === null || value === undefined || value === '') return 'Metadata';
  return value === 'None' || value === 'Metadata' || value === 'Object' ? value : undefined;
}
