import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { getMember, setMember } from '../json-members.ts';
import { memberType, type FieldType, type ListType } from '../type-info/index.ts';
import { indexItems, isGranularList, typeOfValue } from './list-items.ts';
import { serializePathElement, type PathElement } from './path-element.ts';

/**
 * The live object with an applied configuration merged in, as kube's apply engine merges:
 * the configuration wins at every leaf; granular maps keep the live keys it does not mention;
 * sets and list-maps keep the live items it does not mention, in an order that follows the
 * configuration for the items it lists.
 */
export function mergeValues(live: JsonValue | undefined, config: JsonValue | undefined, declaredType: FieldType, path: PathElement[] = []): JsonValue | undefined {
  if (config === undefined) return live;
  if (live === undefined) return config;
  const type = typeOfValue(declaredType, config);
  if (typeOfValue(declaredType, live).kind !== type.kind) return config;
  if (type.kind === 'object' && type.atomic !== true && isJsonObject(live) && isJsonObject(config)) {
    if (Object.keys(live).length === 0 && Object.keys(config).length === 0) return config;
    const out: JsonObject = {};
    for (const key of new Set([...Object.keys(live), ...Object.keys(config)])) {
      const merged = mergeValues(getMember(live, key), getMember(config, key), memberType(type, key).type, [...path, { field: key }]);
      if (merged !== undefined) setMember(out, key, merged);
    }
    return out;
  }
  if (isGranularList(type) && Array.isArray(live) && Array.isArray(config) && (live.length > 0 || config.length > 0)) {
    return mergeItems(live, config, type, path);
  }
  return config;
}

/**
 * Walks both lists at once: shared items in the configuration's order, live-only items where
 * they were, configuration-only items where the configuration puts them.
 */
function mergeItems(live: JsonValue[], config: JsonValue[], type: ListType, path: PathElement[]): JsonValue[] {
  const right = indexItems(type, config, path, false);
  const left = indexItems(type, live, path, true);
  const key = serializePathElement;
  const shared = right.order.filter((pe) => left.byKey.has(key(pe))).map(key);
  let nextShared = shared.shift();
  const emitted = new Set<string>();
  const out: JsonValue[] = [];
  const emit = (pe: PathElement): void => {
    const merged = mergeValues(left.byKey.get(key(pe)), right.byKey.get(key(pe)), type.items, [...path, pe]);
    if (merged !== undefined) out.push(merged);
  };
  let l = 0;
  let r = 0;
  while (l < left.order.length || r < right.order.length) {
    if (l < left.order.length && r < right.order.length) {
      const pe = key(left.order[l]!);
      if (pe === key(right.order[r]!)) {
        emitted.add(pe);
        emit(left.order[l]!);
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (right.byKey.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < left.order.length) {
      const pe = left.order[l]!;
      if (!right.byKey.has(key(pe))) {
        emit(pe);
        l++;
        continue;
      } else if (emitted.has(key(pe))) {
        l++;
      }
    }
    if (r < right.order.length) {
      const pe = right.order[r]!;
      emitted.add(key(pe));
      emit(pe);
      r++;
      if (nextShared === key(pe)) nextShared = shared.shift();
    }
  }
  return out;
}
