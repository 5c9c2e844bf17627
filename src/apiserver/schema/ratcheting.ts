import type { FieldError } from '../field-error.ts';
import { isJsonObject, type JsonValue } from '../json.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';
import { deepEqual } from './validate-value.ts';

/**
 * Validation ratcheting (kube 1.30+, on by default): on update, an error at a place whose
 * value the update did not change is dropped, so objects that a tightened schema now
 * rejects can still be updated elsewhere. "Same place" follows kube's correlation: object
 * properties and map keys by name, list-type=map items by their keys, set items by value;
 * items of atomic lists only when the whole list is unchanged.
 */
export function ratchetErrors(errors: readonly FieldError[], object: JsonValue, oldObject: JsonValue, schema: JSONSchemaProps): FieldError[] {
  return errors.filter((e) => !unchangedAlong(e.field, object, oldObject, schema));
}

/** True when some node on the error's path has the same value in both objects. */
function unchangedAlong(field: string, value: JsonValue | undefined, old: JsonValue | undefined, s: JSONSchemaProps | undefined): boolean {
  if (value === undefined || old === undefined) return false;
  if (deepEqual(value, old)) return true;
  if (field === '' || field === '<nil>') return false;
  const index = /^\[(\d+)\]\.?/.exec(field);
  if (index !== null && Array.isArray(value) && Array.isArray(old)) {
    const item = value[Number(index[1])];
    const rest = field.slice(index[0].length);
    return item !== undefined && unchangedAlong(rest, item, correlatedItem(item, old, s), itemSchema(s));
  }
  if (!isJsonObject(value) || !isJsonObject(old)) return false;
  // The longest key that prefixes the path wins, so map keys may contain dots.
  const keys = Object.keys(value).filter((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`)).sort((a, b) => b.length - a.length);
  const key = keys[0];
  if (key === undefined) return false;
  const rest = field.slice(key.length).replace(/^\./, '');
  return unchangedAlong(rest, value[key], old[key], s?.properties?.[key] ?? additionalSchema(s));
}

function correlatedItem(item: JsonValue, old: JsonValue[], s: JSONSchemaProps | undefined): JsonValue | undefined {
  switch (s?.['x-kubernetes-list-type']) {
    case 'map': {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      if (!isJsonObject(item)) return undefined;
      return old.find((o) => isJsonObject(o) && keys.every((k) => deepEqual(o[k], item[k])));
    }
    case 'set':
      return old.find((o) => deepEqual(o, item));
    default:
      return undefined;
  }
}
