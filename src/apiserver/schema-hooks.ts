/**
 * The one place where schema-aware behaviour plugs in: validation, defaulting and pruning of
 * objects (custom resources from their CRD's openAPIV3Schema, built-ins from their own rules)
 * and server-side printing of Tables. The server core stays schemaless; without hooks it
 * stores what it is given and prints NAME and AGE.
 */
import type { FieldError } from './field-error.ts';
import type { JsonObject } from './json.ts';
import type { ResourceType } from './registry/resource-type.ts';

/** kube's `fieldValidation` query parameter (kubectl sends Strict by default). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** An object about to be written, after the server has set its metadata. */
export interface AdmissionRequest {
  type: ResourceType;
  operation: 'create' | 'update';
  subresource: string | undefined;
  object: JsonObject;
  /** The current object, for updates (CEL's `oldSelf`, immutable fields). */
  oldObject: JsonObject | undefined;
  fieldValidation: FieldValidation;
}

/** `object` is what gets stored (defaulted and pruned); warnings go out as `Warning` headers. */
export type AdmissionResult =
  | { allowed: true; object: JsonObject; warnings: string[] }
  | { allowed: false; errors: FieldError[]; warnings: string[] };

/** One printed column, as `additionalPrinterColumns` and Table's `columnDefinitions` describe it. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRows {
  columnDefinitions: TableColumn[];
  /** One row of cells per object, in the same order. */
  cells: (string | number | boolean | null)[][];
}

export interface SchemaHooks {
  /** Checks and completes an object before it is written; never throws for bad input. */
  admit(request: AdmissionRequest): AdmissionResult;
  /** Applies read-time defaults to a stored object (may return it unchanged). */
  onRead(type: ResourceType, object: JsonObject): JsonObject;
  /** The Table columns and cells for these objects, or undefined for the default NAME/AGE. */
  table(type: ResourceType, objects: readonly JsonObject[], now: Date): TableRows | undefined;
}

/** Accepts every object as it is; the default until schema support is plugged in. */
export const schemalessHooks: SchemaHooks = {
  admit: (request) => ({ allowed: true, object: request.object, warnings: [] }),
  onRead: (_type, object) => object,
  table: () => undefined,
};
