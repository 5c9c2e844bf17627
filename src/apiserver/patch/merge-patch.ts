import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { getMember, setMember } from '../json-members.ts';
import { badRequest } from './patch-error.ts';

/**
 * Applies a JSON merge patch (RFC 7386, `application/merge-patch+json`) the way kube-apiserver
 * does (it uses evanphx/json-patch v4's `MergePatch`), returning a new value; neither argument
 * is modified.
 *
 * Where kube-apiserver departs from the RFC, this follows kube-apiserver:
 * - a top-level patch that is `null`, a string, a number or a boolean is refused with
 *   400 BadRequest "Invalid JSON Patch" (the RFC would return the patch itself);
 * - a value copied from the patch has its `null` members removed at every depth, including
 *   inside objects that sit in arrays (`{"a":[{"b":null}]}` adds `"a":[{}]`), except an array
 *   or scalar that replaces an existing object, which is taken as is.
 * A top-level array patch replaces the whole document, as in the RFC; turning that into an
 * object error is the caller's decoding step, as it is in kube-apiserver.
 *
 * @throws PatchError 400 BadRequest for a patch that is null or a scalar.
 */
export function applyMergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (patch === null || typeof patch !== 'object') throw badRequest('Invalid JSON Patch');
  if (Array.isArray(patch) || !isJsonObject(target)) return withoutNulls(patch);
  return mergeObjects(target, patch);
}

function mergeObjects(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = getMember(result, key);
    if (value === null) delete result[key];
    else if (current === undefined || current === null) setMember(result, key, withoutNulls(value));
    else setMember(result, key, mergeValue(current, value));
  }
  return result;
}

function mergeValue(current: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(current)) return withoutNulls(patch);
  return isJsonObject(patch) ? mergeObjects(current, patch) : patch;
}

/** A copy without null members of objects, at any depth; null array elements stay. */
function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== null) setMember(result, key, withoutNulls(member));
  }
  return result;
}
