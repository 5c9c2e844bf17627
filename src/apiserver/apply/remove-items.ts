import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { setMember } from '../json-members.ts';
import { memberType, type FieldType } from '../type-info/index.ts';
import type { FieldSet } from './field-set.ts';
import { itemElement, isGranularList, typeOfValue } from './list-items.ts';

/**
 * The value without the fields in `toRemove`: a member removes the field or item it names
 * (whole), deeper paths are removed inside it. A map or list left empty by the removal goes
 * too, as it does once kube-apiserver decodes the result into a typed object.
 */
export function removeItems(value: JsonValue, toRemove: FieldSet, declaredType: FieldType): JsonValue | undefined {
  const type = typeOfValue(declaredType, value);
  if (type.kind === 'list' && Array.isArray(value)) {
    if (!isGranularList(type) || value.length === 0) return value;
    const kept: JsonValue[] = [];
    for (const item of value) {
      const pe = itemElement(type, item, []);
      if (toRemove.has([pe])) continue;
      const below = toRemove.withPrefix(pe);
      const rest = below.isEmpty() ? item : removeItems(item, below, type.items);
      if (rest !== undefined) kept.push(rest);
    }
    return kept.length > 0 ? kept : undefined;
  }
  if (type.kind === 'object' && isJsonObject(value)) {
    if (type.atomic === true || Object.keys(value).length === 0) return value;
    const kept: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      if (toRemove.has([{ field: key }])) continue;
      const below = toRemove.withPrefix({ field: key });
      const rest = below.isEmpty() ? member : removeItems(member, below, memberType(type, key).type);
      if (rest !== undefined) setMember(kept, key, rest);
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  }
  return value;
}
