import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson, getMember, setMember } from '../json-members.ts';
import { builtinTypeInfo, memberType, type FieldType, type GroupVersionKind } from '../type-info/index.ts';
import { goType, goValue } from '../go-format.ts';
import { badRequest, internal, UnsupportedPatchTypeError } from './patch-error.ts';
import { mergeListValues, orderBySetElementOrder, patchMeta, withoutDirectiveItems } from './strategic-merge-list.ts';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/** True when kube-apiserver accepts a strategic merge patch for this kind (built-ins only). */
export function supportsStrategicMergePatch(gvk: GroupVersionKind): boolean {
  return builtinTypeInfo(gvk) !== undefined;
}

/**
 * Applies a strategic merge patch (`application/strategic-merge-patch+json`) to a built-in
 * object, as kube-apiserver does, returning a new object; neither argument is modified.
 *
 * Semantics (those of k8s.io/apimachinery's strategicpatch, used server-side): maps merge
 * recursively and `null` deletes a key; lists whose field has patch strategy `merge` merge by
 * their merge key (or as sets of scalars), other lists are replaced; `$patch: replace|delete`
 * on a map or a list item, `$patch: replace` as a list item, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured; merged list
 * items keep the patch's order, interleaved with the server-only items as kube orders them.
 * Like kube-apiserver's decoding into typed objects, the result carries no `null` members and
 * no leftover directive keys.
 *
 * @throws UnsupportedPatchTypeError (415) for a kind without patch metadata, such as every
 *   custom resource; PatchError 400 for a malformed directive, 422 for lists of lists or a patch
 *   that contradicts its `$retainKeys`, 500 (empty reason) for what kube reports as plain
 *   errors, e.g. `map: map[image:nginx] does not contain declared merge key: name`.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject, gvk: GroupVersionKind): JsonObject {
  const info = builtinTypeInfo(gvk);
  if (info === undefined) throw new UnsupportedPatchTypeError(`${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version}, Kind=${gvk.kind}`);
  if (!isJsonObject(patch)) throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  const merged = mergeMap(cloneJson(original), cloneJson(patch), info.root);
  return asDecoded(merged) as JsonObject;
}

/**
 * Merges `patch` into `original` (both owned by the caller and modified). Exported for the list
 * merge, which merges matching items with it.
 */
export function mergeMap(original: JsonObject, patch: JsonObject, type: FieldType): JsonObject {
  const directive = getMember(patch, directiveMarker);
  if (directive !== undefined) {
    if (directive === 'replace') {
      delete patch[directiveMarker];
      return patch;
    }
    if (directive === 'delete') return {};
    throw internal(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, type);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = directiveTarget(patchKey, deleteFromPrimitiveListPrefix);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = getMember(original, key);
    if (current === undefined || kindOf(current) !== kindOf(patchValue)) {
      if (!isDeleteList) setOrDelete(original, key, withoutDirectives(withoutNullMembers(patchValue)));
      continue;
    }
    const { type: fieldType } = memberType(type, key);
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      const strategy = patchMeta(fieldType).strategy;
      setMember(original, key, strategy === 'replace' ? patchValue : mergeMap(current, patchValue, fieldType));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      const meta = patchMeta(fieldType);
      const merges = meta.strategy === 'merge' || isDeleteList;
      setMember(original, key, merges ? mergeListValues(current, patchValue, fieldType, meta.mergeKey, isDeleteList) : patchValue);
    } else {
      setOrDelete(original, key, withoutDirectives(patchValue));
    }
  }
  return original;
}

/** `$retainKeys`: keys of the original not listed are cleared; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  const retain = getMember(patch, retainKeysDirective);
  if (retain === undefined) return;
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys');
  const kept = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!kept.has(key)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) if (!kept.has(key)) delete original[key];
}

/**
 * `$setElementOrder/<field>`: merges the list it names first, then orders the result: the
 * directive's order, then the patch's, then the live list's.
 */
function applySetElementOrders(original: JsonObject, patch: JsonObject, type: FieldType): void {
  for (const [directiveKey, order] of Object.entries(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw internal(`expected a []interface {}, but received a ${goType(order)}`);
    const key = directiveTarget(directiveKey, setElementOrderPrefix);
    const originalList = listMember(original, key);
    const patchList = listMember(patch, key);
    const fieldType = memberType(type, key).type;
    const meta = patchMeta(fieldType);
    let merged: JsonValue[];
    if (originalList !== undefined && patchList !== undefined) {
      merged = meta.strategy === 'merge' ? mergeListValues(originalList, patchList, fieldType, meta.mergeKey, false) : patchList;
    } else if (patchList !== undefined) {
      merged = withoutDirectiveItems(patchList);
    } else if (originalList !== undefined) {
      merged = originalList;
    } else {
      continue;
    }
    setMember(original, key, orderBySetElementOrder(merged, order, originalList ?? [], patchList ?? [], meta.mergeKey));
    delete patch[key];
  }
}

function listMember(object: JsonObject, key: string): JsonValue[] | undefined {
  const value = getMember(object, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw internal(`expected a []interface {}, but received a ${goType(value)}`);
  return value;
}

/** The field a `$deleteFromPrimitiveList/x` or `$setElementOrder/x` key names. */
function directiveTarget(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badRequest(prefix === setElementOrderPrefix ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list');
  }
  return key.slice(slash + 1);
}

function setOrDelete(object: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete object[key];
  else setMember(object, key, value);
}

/** Go's view of a decoded JSON value's type, which decides whether two values merge. */
function kindOf(value: JsonValue): string {
  return goType(value);
}

/** The value without maps that carry `$patch` (at any depth); undefined if it is one itself. */
export function withoutDirectives(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) return withoutDirectiveItems(value);
  if (!isJsonObject(value)) return value;
  if (Object.hasOwn(value, directiveMarker)) return undefined;
  for (const [key, member] of Object.entries(value)) setOrDelete(value, key, withoutDirectives(member));
  return value;
}

/** Removes null members of objects at any depth (null list items stay), as kube does for new values. */
function withoutNullMembers(value: JsonValue): JsonValue {
  if (Array.isArray(value)) value.forEach(withoutNullMembers);
  else if (isJsonObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (member === null) delete value[key];
      else withoutNullMembers(member);
    }
  }
  return value;
}

/**
 * What kube-apiserver's decoding into a typed object leaves of a merged map: no null members
 * and no directive keys (they are not fields of any built-in kind).
 */
function asDecoded(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(asDecoded);
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null || key === directiveMarker || key === retainKeysDirective) continue;
    if (key.startsWith(`${setElementOrderPrefix}/`) || key.startsWith(`${deleteFromPrimitiveListPrefix}/`)) continue;
    setMember(result, key, asDecoded(member));
  }
  return result;
}
