/**
 * The printers of server-side printing: which columns a kind prints and the cells of one
 * object. The server's Table convertor (table-convertor.ts) assembles the Table itself.
 */
import type { JsonObject, JsonValue } from '../json.ts';

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

/** How a kind prints: its columns (all of them, as the server always prints "wide") and cells. */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(object: JsonObject, nowMs: number): JsonValue[];
  conditions?(object: JsonObject): TableRowCondition[] | undefined;
}
