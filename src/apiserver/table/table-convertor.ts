/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which is how
 * `kubectl get` asks for what it prints. Columns come from the schema hooks when they know
 * the type, otherwise NAME and AGE, as kube prints a custom resource without printer columns.
 */
import type { JsonObject, JsonValue } from '../json.ts';
import { metadataOf, nameOf } from '../objects/object-meta.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { SchemaHooks, TableColumn, TableRows } from '../schema-hooks.ts';
import { ageOf } from './human-duration.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  /** Leave out columnDefinitions (every watch event after the first). */
  noHeaders: boolean;
  listMetadata: JsonObject;
}

const nameColumn: TableColumn = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
};

const ageColumn: TableColumn = {
  name: 'Age', type: 'date', format: '', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** A Table of `objects` (already in the served version). */
export function toTable(type: ResourceType, objects: readonly JsonObject[], hooks: SchemaHooks, now: Date, opts: TableOptions): JsonObject {
  const printed: TableRows = hooks.table(type, objects, now) ?? defaultRows(objects, now);
  const rows = objects.map((obj, i): JsonObject => {
    const row: JsonObject = { cells: printed.cells[i] ?? [] };
    const object = rowObject(obj, opts);
    if (object !== undefined) row.object = object;
    return row;
  });
  const table: JsonObject = { kind: 'Table', apiVersion: `meta.k8s.io/${opts.version}`, metadata: opts.listMetadata };
  if (!opts.noHeaders) table.columnDefinitions = printed.columnDefinitions as unknown as JsonValue;
  table.rows = rows;
  return table;
}

function defaultRows(objects: readonly JsonObject[], now: Date): TableRows {
  return {
    columnDefinitions: [nameColumn, ageColumn],
    cells: objects.map((obj) => [nameOf(obj), ageOf(metadataOf(obj).creationTimestamp, now.getTime())]),
  };
}

function rowObject(obj: JsonObject, opts: TableOptions): JsonObject | undefined {
  switch (opts.includeObject) {
    case 'None': return undefined;
    case 'Object': return obj;
    case 'Metadata': return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${opts.version}`, metadata: metadataOf(obj) };
  }
}
