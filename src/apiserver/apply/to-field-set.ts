import { isJsonObject, type JsonValue } from '../json.ts';
import { memberType, type FieldType } from '../type-info/index.ts';
import { FieldSet } from './field-set.ts';
import { indexItems, isGranularList, typeOfValue } from './list-items.ts';
import { serializePathElement, type PathElement } from './path-element.ts';

/**
 * The fields a value sets, as kube's apply engine counts them: every scalar, every atomic list
 * or map as one field, every item of a set or list-map (and what is under it), and every map
 * key or undeclared key; a declared struct field counts only through what it contains, unless
 * it is null or an empty object.
 *
 * @param allowDuplicates false for an applied configuration, where a repeated list key is an error.
 */
export function toFieldSet(value: JsonValue, type: FieldType, allowDuplicates = true): FieldSet {
  const set = new FieldSet();
  collect(value, type, [], set, allowDuplicates);
  return set;
}

function collect(value: JsonValue, declaredType: FieldType, path: PathElement[], set: FieldSet, allowDuplicates: boolean): void {
  const type = typeOfValue(declaredType, value);
  if (type.kind === 'list') {
    if (!isGranularList(type)) {
      set.insert(path);
      return;
    }
    const list = value as JsonValue[];
    const { order, byKey } = indexItems(type, list, path, allowDuplicates);
    for (const pe of order) {
      const itemPath = [...path, pe];
      collect(byKey.get(serializePathElement(pe))!, type.items, itemPath, set, allowDuplicates);
      set.insert(itemPath);
    }
    return;
  }
  if (type.kind === 'object' && isJsonObject(value)) {
    if (type.atomic === true) {
      set.insert(path);
      return;
    }
    for (const [key, member] of Object.entries(value)) {
      const { type: fieldType, declared } = memberType(type, key);
      const memberPath: PathElement[] = [...path, { field: key }];
      collect(member, fieldType, memberPath, set, allowDuplicates);
      if (member === null || (isJsonObject(member) && Object.keys(member).length === 0) || !declared) set.insert(memberPath);
    }
    return;
  }
  if (value !== null) set.insert(path);
}
