/**
 * The seam between the PATCH handler and the patch algorithms (JSON patch, merge patch,
 * strategic merge patch, server-side apply) and managedFields tracking. The handler owns HTTP,
 * storage and concurrency; an engine only computes objects.
 */
import type { JsonObject } from '../json.ts';
import type { ResourceType } from '../registry/resource-type.ts';

export const jsonPatchType = 'application/json-patch+json';
export const mergePatchType = 'application/merge-patch+json';
export const strategicMergePatchType = 'application/strategic-merge-patch+json';
export const applyPatchType = 'application/apply-patch+yaml';

export interface PatchRequest {
  type: ResourceType;
  /** The object's name from the URL. */
  name: string;
  subresource: string | undefined;
  /** The base media type of the request's Content-Type. */
  contentType: string;
  body: Buffer;
  /** The current object in the served version; undefined when it does not exist (apply creates it). */
  current: JsonObject | undefined;
  fieldManager: string | undefined;
  force: boolean;
  now: Date;
}

export type WriteOperation = 'Create' | 'Update';

export interface PatchEngine {
  /** The patch media types accepted for a type, as discovery and OpenAPI advertise them. */
  contentTypes(type: ResourceType): string[];
  /** The patched object, ready to be written; throws an ApiError for a bad or conflicting patch. */
  patch(request: PatchRequest): JsonObject;
  /** `next` with metadata.managedFields updated for an ordinary (non-apply) write by `manager`. */
  trackWrite(
    type: ResourceType, old: JsonObject | undefined, next: JsonObject, manager: string, operation: WriteOperation, now: Date, subresource?: string,
  ): JsonObject;
}
