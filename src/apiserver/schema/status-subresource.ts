import { isJsonObject, type JsonObject } from '../json.ts';
import { cloneJson } from '../json-members.ts';

/** Which endpoint a write came through: the resource itself, or its `/status` subresource. */
export type WriteTarget = 'main' | 'status';

// The metadata a /status write of a built-in may not change (apimachinery's ResetObjectMetaForStatus).
const statusResetMetadata = ['deletionTimestamp', 'generation', 'selfLink', 'labels', 'annotations', 'finalizers', 'ownerReferences'];

/**
 * The object to store for a write, given the kind's status subresource, as kube-apiserver's
 * strategies compute it (the input objects are not modified):
 * - create on the main resource drops `status` when the kind has a status subresource;
 * - update on the main resource keeps the stored `status` (a client's status edits vanish);
 * - update on `/status` keeps everything but `status` from the stored object. For custom
 *   resources only `metadata.managedFields` also comes from the request; for built-ins
 *   (`builtin: true`) the request's metadata is kept except the fields kube resets
 *   (labels, annotations, finalizers, ownerReferences, generation, deletionTimestamp).
 * Without a status subresource, `status` is an ordinary field: the object is returned as is.
 */
export function applyStatusSubresource(target: WriteTarget, object: JsonObject, oldObject: JsonObject | undefined, options: { statusSubresource: boolean; builtin?: boolean }): JsonObject {
  const next = cloneJson(object);
  if (!options.statusSubresource) return next;
  if (oldObject === undefined) {
    if (target === 'main') delete next.status;
    return next;
  }
  if (target === 'main') {
    if ('status' in oldObject) next.status = cloneJson(oldObject.status!);
    else delete next.status;
    return next;
  }
  const stored = cloneJson(oldObject);
  if ('status' in object) stored.status = cloneJson(object.status!);
  else delete stored.status;
  const requestMeta = isJsonObject(object.metadata) ? object.metadata : {};
  const storedMeta = isJsonObject(stored.metadata) ? stored.metadata : {};
  if (options.builtin) {
    const meta = cloneJson(requestMeta);
    for (const key of statusResetMetadata) {
      if (key in storedMeta) meta[key] = storedMeta[key]!;
      else delete meta[key];
    }
    stored.metadata = meta;
  } else {
    if ('managedFields' in requestMeta) storedMeta.managedFields = cloneJson(requestMeta.managedFields!);
    else delete storedMeta.managedFields;
    stored.metadata = storedMeta;
  }
  return stored;
}
