/**
 * The list half of strategic merge patch: merging lists by merge key or as sets of scalars,
 * `$patch` list items, deletions from primitive lists, and the order kube-apiserver gives the
 * result (patch items in the patch's order, server-only items where they were relative to them).
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { getMember } from '../json-members.ts';
import { itemType, type FieldType } from '../type-info/index.ts';
import { goType, goValue } from '../go-format.ts';
import { internal, rejected } from './patch-error.ts';
import { mergeMap, withoutDirectives } from './strategic-merge-patch.ts';

/** What strategic merge patch reads of a field: `merge` (`merge,retainKeys` counts) or `replace`, and the merge key. */
export function patchMeta(type: FieldType): { strategy?: 'merge' | 'replace'; mergeKey?: string } {
  if (type.kind === 'list') {
    const strategy = type.patchStrategy === 'merge' || type.patchStrategy === 'merge,retainKeys' ? 'merge' : undefined;
    return { strategy, mergeKey: type.patchMergeKey };
  }
  if (type.kind === 'object' && type.patchStrategy === 'replace') return { strategy: 'replace' };
  return {};
}

/** The items of a list without the maps that carry `$patch`, directives removed inside the rest. */
export function withoutDirectiveItems(list: JsonValue[]): JsonValue[] {
  const result: JsonValue[] = [];
  for (const item of list) {
    const kept = withoutDirectives(item);
    if (kept !== undefined) result.push(kept);
  }
  return result;
}

/**
 * Merges a patch list into an original list of a field with patch strategy `merge` (or a
 * `$deleteFromPrimitiveList` list, whose items are removed from the original instead).
 */
export function mergeListValues(original: JsonValue[], patch: JsonValue[], type: FieldType, mergeKey: string | undefined, isDeleteList: boolean): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const elementKind = elementKindOf([original, patch]);
  if (elementKind !== 'map[string]interface {}') {
    if (isDeleteList) return original.filter((item) => !patch.some((removed) => scalarEqual(item, removed)));
    const merged = dedupe([...original, ...patch]);
    return orderItems(merged, patch, original, undefined);
  }
  if (mergeKey === undefined) throw internal(`cannot merge lists without merge key for ${goSchemaName(type)}`);
  const { original: remaining, patch: plainItems } = applyListDirectives(original as JsonObject[], patch as JsonObject[], mergeKey);
  const merged = [...remaining];
  for (const item of plainItems) {
    const keyValue = requireMergeKey(item, mergeKey);
    const index = findByMergeKey(merged, mergeKey, keyValue);
    if (index >= 0) merged[index] = mergeMap(merged[index] as JsonObject, item, itemType(type));
    else merged.push(item);
  }
  return orderItems(merged, plainItems, remaining, mergeKey);
}

/**
 * Orders a list merged under a `$setElementOrder` directive: items named by the directive follow
 * its order, the others keep their place relative to them as in the live list.
 */
export function orderBySetElementOrder(merged: JsonValue[], order: JsonValue[], original: JsonValue[], patch: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  validateSetElementOrder(patch, order, mergeKey);
  const kind = elementKindOf([original, patch]);
  return orderItems(merged, order, original, kind === 'map[string]interface {}' ? mergeKey : undefined);
}

/** `$patch: delete` items remove matching originals; a `$patch: replace` item makes the rest the whole list. */
function applyListDirectives(original: JsonObject[], patch: JsonObject[], mergeKey: string): { original: JsonObject[]; patch: JsonObject[] } {
  let remaining = original;
  const plain: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    const directive = getMember(item, '$patch');
    if (directive === undefined) {
      plain.push(item);
    } else if (directive === 'delete') {
      const keyValue = requireMergeKey(item, mergeKey);
      remaining = remaining.filter((candidate) => !(isJsonObject(candidate) && scalarEqual(getMember(candidate, mergeKey), keyValue)));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw internal(`unknown patch type: ${goValue(directive)} in map: ${goValue(item)}`);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: remaining, patch: plain };
}

/**
 * kube's final ordering: the items present in `patchOrder` (by merge key, or by value for
 * scalars) in that order, merged with the other items in `serverOrder`'s order; a server item
 * goes before a patch item only when both are in `serverOrder` and it comes first there.
 */
function orderItems(merged: JsonValue[], patchOrder: JsonValue[], serverOrder: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  const identity = (item: JsonValue | undefined): JsonValue | undefined => (mergeKey === undefined ? item : isJsonObject(item) ? getMember(item, mergeKey) : undefined);
  if (mergeKey !== undefined) {
    for (const item of [...merged, ...patchOrder, ...serverOrder]) requireMergeKey(item, mergeKey);
  }
  const indexIn = (list: JsonValue[], item: JsonValue): number => list.findIndex((candidate) => scalarEqual(identity(candidate), identity(item)));
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of merged) (indexIn(patchOrder, item) >= 0 ? inPatch : serverOnly).push(item);
  const sortBy = (items: JsonValue[], order: JsonValue[]): JsonValue[] => stableSort(items, order, indexIn);
  const right = sortBy(inPatch, patchOrder);
  const left = sortBy(serverOnly, serverOrder);
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) result.push(right[j++]!);
    else if (j >= right.length) result.push(left[i++]!);
    else {
      const li = indexIn(serverOrder, left[i]!);
      const ri = indexIn(serverOrder, right[j]!);
      result.push(li >= 0 && ri >= 0 && li < ri ? left[i++]! : right[j++]!);
    }
  }
  return result;
}

/**
 * Go's sort.SliceStable (an insertion sort on lists this short) with kube's comparator, which
 * orders items found in `order` by it and calls an item that is not found "less".
 */
function stableSort(items: JsonValue[], order: JsonValue[], indexIn: (list: JsonValue[], item: JsonValue) => number): JsonValue[] {
  const result = [...items];
  const less = (a: JsonValue, b: JsonValue): boolean => {
    const ia = indexIn(order, a);
    const ib = indexIn(order, b);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < result.length; i++) {
    for (let j = i; j > 0 && less(result[j]!, result[j - 1]!); j--) [result[j], result[j - 1]] = [result[j - 1]!, result[j]!];
  }
  return result;
}

/** The items of a patch list (deletions aside) must appear in the `$setElementOrder` list, in its order. */
function validateSetElementOrder(patch: JsonValue[], order: JsonValue[], mergeKey: string | undefined): void {
  if (patch.length === 0 || order.length === 0) return;
  let items = patch;
  if (mergeKey !== undefined) {
    for (const item of patch) if (!isJsonObject(item)) throw internal(`expected a map[string]interface {}, but received a ${goType(item)}`);
    items = patch.filter((item) => getMember(item as JsonObject, '$patch') !== 'delete');
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p]!;
    if (isJsonObject(item) && Object.hasOwn(item, '$patch')) {
      p++;
      continue;
    }
    if (mergeKey === undefined ? scalarEqual(item, order[o]) : scalarEqual(requireMergeKey(item, mergeKey), requireMergeKey(order[o]!, mergeKey))) p++;
    o++;
  }
  if (p < items.length) {
    throw internal(`The order in patch list:\n${goValue(patch)}\n doesn't match $setElementOrder list:\n${goValue(order)}\n`);
  }
}

function requireMergeKey(item: JsonValue, mergeKey: string): JsonValue {
  if (!isJsonObject(item)) throw internal(`expected a map[string]interface {}, but received a ${goType(item)}`);
  const value = getMember(item, mergeKey);
  if (value === undefined) throw internal(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`);
  return value;
}

function findByMergeKey(list: JsonValue[], mergeKey: string, keyValue: JsonValue): number {
  return list.findIndex((item, index) => {
    if (!isJsonObject(item)) throw internal(`value for key ${index} is not a map`);
    const candidate = getMember(item, mergeKey);
    return candidate !== undefined && scalarEqual(candidate, keyValue);
  });
}

/** The Go type shared by every item of the lists; lists of lists and mixed lists are errors. */
function elementKindOf(lists: JsonValue[][]): string {
  let kind: string | undefined;
  for (const item of lists.flat()) {
    const itemKind = goType(item);
    if (kind === undefined) {
      if (Array.isArray(item)) throw rejected('lists of lists are not supported');
      kind = itemKind;
    } else if (kind !== itemKind) {
      throw internal(`list element types are not identical: ${goValue(lists)}`);
    }
  }
  if (kind === undefined) throw internal('no elements in any of the given slices');
  return kind;
}

/** Go's `==` on decoded scalars: maps and lists are never equal to anything (here: not merged). */
function scalarEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && a === b;
}

function dedupe(items: JsonValue[]): JsonValue[] {
  return items.filter((item, index) => items.findIndex((other) => scalarEqual(other, item)) === index);
}

/** The name kube prints for the schema in "cannot merge lists without merge key for <name>". */
function goSchemaName(type: FieldType): string {
  return type.kind === 'list' ? 'slice' : 'struct';
}
