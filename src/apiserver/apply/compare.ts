import { isJsonObject, type JsonValue } from '../json.ts';
import { jsonEqual } from '../json-members.ts';
import { memberType, type FieldType } from '../type-info/index.ts';
import { FieldSet } from './field-set.ts';
import { itemElement, isGranularList, typeOfValue } from './list-items.ts';
import { serializePathElement, type PathElement } from './path-element.ts';

/** The fields that differ between two versions of an object, as kube's apply engine finds them. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares `before` and `after` field by field. A leaf (scalar, atomic list or map, or a pair of
 * empty containers) that appears is added, disappears is removed, changes is modified; a
 * container that appears or disappears as a whole is added or removed together with its fields.
 */
export function compareObjects(before: JsonValue | undefined, after: JsonValue | undefined, type: FieldType): Comparison {
  const comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareAt(before, after, type, [], comparison);
  return comparison;
}

function compareAt(lhs: JsonValue | undefined, rhs: JsonValue | undefined, declaredType: FieldType, path: PathElement[], out: Comparison): void {
  const lhsType = typeOfValue(declaredType, lhs);
  const rhsType = typeOfValue(declaredType, rhs);
  const type = rhs === undefined ? lhsType : rhsType;
  const sameShape = lhs === undefined || rhs === undefined || lhsType.kind === rhsType.kind;
  const leaf = !sameShape || !isContainer(type, lhs, rhs);
  if (leaf) {
    if (lhs === undefined) out.added.insert(path);
    else if (rhs === undefined) out.removed.insert(path);
    else if (!jsonEqual(lhs, rhs)) out.modified.insert(path);
    return;
  }
  if (type.kind === 'list' && isGranularList(type)) compareItems(lhs as JsonValue[] | undefined, rhs as JsonValue[] | undefined, type, path, out);
  else compareMembers(lhs, rhs, type, path, out);
  if (lhs === undefined) out.added.insert(path);
  else if (rhs === undefined) out.removed.insert(path);
}

/** Granular containers are walked; atomic ones, and a pair of empty or absent ones, are leaves. */
function isContainer(type: FieldType, lhs: JsonValue | undefined, rhs: JsonValue | undefined): boolean {
  const size = (v: JsonValue | undefined): number => (Array.isArray(v) ? v.length : isJsonObject(v) ? Object.keys(v).length : 0);
  if (size(lhs) === 0 && size(rhs) === 0) return false;
  if (type.kind === 'list') return isGranularList(type);
  return type.kind === 'object' && type.atomic !== true;
}

function compareMembers(lhs: JsonValue | undefined, rhs: JsonValue | undefined, type: FieldType, path: PathElement[], out: Comparison): void {
  const left = isJsonObject(lhs) ? lhs : {};
  const right = isJsonObject(rhs) ? rhs : {};
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    const l = Object.hasOwn(left, key) ? left[key] : undefined;
    const r = Object.hasOwn(right, key) ? right[key] : undefined;
    compareAt(l, r, memberType(type, key).type, [...path, { field: key }], out);
  }
}

function compareItems(lhs: JsonValue[] | undefined, rhs: JsonValue[] | undefined, type: Parameters<typeof itemElement>[0], path: PathElement[], out: Comparison): void {
  const order: PathElement[] = [];
  const group = (list: JsonValue[] | undefined): Map<string, JsonValue[]> => {
    const groups = new Map<string, JsonValue[]>();
    for (const item of list ?? []) {
      const pe = itemElement(type, item, path);
      const key = serializePathElement(pe);
      if (!groups.has(key) && !order.some((known) => serializePathElement(known) === key)) order.push(pe);
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    return groups;
  };
  const left = group(lhs);
  const right = group(rhs);
  for (const pe of order) {
    const key = serializePathElement(pe);
    const l = left.get(key) ?? [];
    const r = right.get(key) ?? [];
    const itemPath = [...path, pe];
    if (l.length <= 1 && r.length <= 1) compareAt(l[0], r[0], type.items, itemPath, out);
    else if (l.length >= 2 && r.length >= 2) {
      if (!jsonEqual(l, r)) out.modified.insert(itemPath);
    } else if (l.length >= 2) {
      if (r.length !== 0) compareAt(undefined, r[0], type.items, itemPath, out);
      out.removed.insert(itemPath);
    } else {
      if (l.length !== 0) compareAt(l[0], undefined, type.items, itemPath, out);
      out.added.insert(itemPath);
    }
  }
}
