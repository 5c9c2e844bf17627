import { isJsonObject, type JsonValue } from '../json.ts';
import { getMember } from '../json-members.ts';
import { concreteType, type FieldType, type ListType } from '../type-info/index.ts';
import { PatchError } from '../patch/index.ts';
import { keyElement, pathToString, serializePathElement, type PathElement } from './path-element.ts';

/** An error in a value being applied, worded as kube's apply engine words it (500, no reason). */
export function applyValueError(path: readonly PathElement[], message: string): PatchError {
  return new PatchError(500, '', `${pathToString(path)}: ${message}`);
}

/** A value's type as apply sees it: the declared type when the value has its shape, else deduced. */
export function typeOfValue(type: FieldType, value: JsonValue | undefined): FieldType {
  const concrete = concreteType(type, value);
  const fits = (concrete.kind === 'list' && Array.isArray(value)) || (concrete.kind === 'object' && isJsonObject(value))
    || (concrete.kind === 'scalar' && (value === undefined || value === null || typeof value !== 'object'));
  if (fits) return concrete;
  return concreteType({ kind: 'any', objects: 'map' }, value);
}

/** True for a list whose items apply tracks one by one (a set or a map), false for atomic. */
export function isGranularList(type: FieldType): type is ListType {
  return type.kind === 'list' && type.listType !== 'atomic';
}

/** The path element naming an item of a set or list-map, as kube derives it (key defaults included). */
export function itemElement(type: ListType, item: JsonValue, path: readonly PathElement[]): PathElement {
  if (type.listType === 'map') {
    if (item === null) throw applyValueError(path, 'associative list with keys may not have a null element');
    if (!isJsonObject(item)) throw applyValueError(path, 'associative list with keys may not have non-map elements');
    const itemType = concreteType(type.items, item);
    const defaults = itemType.kind === 'object' ? itemType.defaults : undefined;
    const fields: [string, JsonValue][] = [];
    for (const key of type.keys ?? []) {
      const value = getMember(item, key) ?? (defaults !== undefined && Object.hasOwn(defaults, key) ? defaults[key] : undefined);
      if (value !== undefined) fields.push([key, value]);
    }
    if ((type.keys ?? []).length > 0 && fields.length === 0) {
      throw applyValueError(path, `associative list with keys has an element that omits all key fields ${goQuotedList(type.keys ?? [])} (and doesn't have default values for any key fields)`);
    }
    return keyElement(fields);
  }
  if (isJsonObject(item)) throw applyValueError(path, "associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw applyValueError(path, 'not supported: associative list with lists as elements');
  if (item === null) throw applyValueError(path, "associative list without keys has an element that's an explicit null");
  return { value: item };
}

/**
 * The items of a granular list by path element, in order. Duplicates are an error for an
 * applied configuration and tolerated in a live object (kube keeps the first there).
 */
export function indexItems(type: ListType, list: JsonValue[], path: readonly PathElement[], allowDuplicates: boolean): { order: PathElement[]; byKey: Map<string, JsonValue> } {
  const order: PathElement[] = [];
  const byKey = new Map<string, JsonValue>();
  for (const item of list) {
    const pe = itemElement(type, item, [...path]);
    const key = serializePathElement(pe);
    if (byKey.has(key)) {
      if (!allowDuplicates) throw applyValueError(path, `duplicate entries for key ${pathToString([pe])}`);
      continue;
    }
    byKey.set(key, item);
    order.push(pe);
  }
  return { order, byKey };
}

function goQuotedList(keys: readonly string[]): string {
  return `[${keys.map((k) => JSON.stringify(k)).join(' ')}]`;
}
