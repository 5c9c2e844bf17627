/**
 * The one place where schema-aware behaviour plugs in: validation, defaulting and pruning of
 * objects (custom resources from their CRD's openAPIV3Schema, built-ins from their own rules),
 * the checks of a CRD that need its schemas, and server-side printing of Tables. The server
 * core stays schemaless; without hooks it stores what it is given and prints NAME and AGE.
 *
 * The shape is that of the schema support module (`SchemaSupport`), so an instance of it is
 * passed as is: `startApiServer({ hooks: new SchemaSupport() })`.
 */
import type { FieldError } from './field-error.ts';
import type { JsonObject, JsonValue } from './json.ts';
import type { ResourceType } from './registry/resource-type.ts';

/** kube's `fieldValidation` query parameter (kubectl sends Strict by default; others send nothing: Warn). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** An object about to be written, after the server has set its metadata. */
export interface AdmissionRequest {
  type: ResourceType;
  operation: 'create' | 'update';
  /** `status` for writes through /status. */
  subresource: string | undefined;
  object: JsonObject;
  /** The current object, for updates (CEL's `oldSelf`, immutable fields). */
  oldObject: JsonObject | undefined;
  fieldValidation: FieldValidation;
}

/**
 * The verdict on a write: `allowed` stores `object` (defaulted and pruned); `invalid` is a 422
 * with these causes; `badRequest` a 400 with this message (e.g. unknown fields under
 * fieldValidation=Strict). Warnings go out as `Warning` headers.
 */
export type AdmissionResult =
  | { kind: 'allowed'; object: JsonObject; warnings: string[] }
  | { kind: 'invalid'; errors: FieldError[]; warnings: string[] }
  | { kind: 'badRequest'; message: string; warnings: string[] };

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
  cells: JsonValue[][];
}

export interface SchemaHooks {
  /** Checks and completes an object before it is written; never throws for bad input. */
  admit(request: AdmissionRequest): AdmissionResult;
  /** Applies read-time defaults to a stored object (may return it unchanged). */
  onRead(type: ResourceType, object: JsonObject): JsonObject;
  /** The Table columns and cells for these objects, or undefined for the default NAME/AGE. */
  table(type: ResourceType, objects: readonly JsonObject[], now: Date): TableRows | undefined;
  /** The problems of a CRD (create or update) that need its schemas; run before the server's own checks. */
  validateCrd?(crd: JsonObject): Promise<FieldError[]>;
  /** Readies a stored CRD's versions for `admit` (e.g. compiles CEL rules); awaited before its resources take writes. */
  prepareCrd?(crd: JsonObject): Promise<void>;
  /** Forgets what `prepareCrd` kept for a deleted CRD. */
  forgetCrd?(crdName: string): void;
}
