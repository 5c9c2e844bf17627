import { duplicate, indexPath, childPath, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonValue } from '../json.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';
import { deepEqual } from './validate-value.ts';

/**
 * Checks the uniqueness that `x-kubernetes-list-type: set` and `map` promise, everywhere in
 * `value`, as kube-apiserver does after schema validation: a repeated set element is
 * `spec.tags[2]: Duplicate value: "a"`, a repeated map key tuple is
 * `spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}`.
 */
export function validateListTypes(value: JsonValue | undefined, schema: JSONSchemaProps | undefined, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  walk(value ?? null, schema, path, errors);
  return errors;
}

function walk(value: JsonValue, s: JSONSchemaProps | undefined, path: string, errors: FieldError[]): void {
  if (s === undefined) return;
  if (Array.isArray(value)) {
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'set') {
      value.forEach((v, i) => {
        if (value.findIndex((w) => deepEqual(v, w)) !== i) errors.push(duplicate(indexPath(path, i), v));
      });
    } else if (listType === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const items = itemSchema(s);
      const tuples = value.map((v) => keyTuple(v, keys, items));
      tuples.forEach((t, i) => {
        if (t !== undefined && tuples.findIndex((u) => u !== undefined && deepEqual(t, u)) !== i) errors.push(duplicate(indexPath(path, i), t));
      });
    }
    const items = itemSchema(s);
    value.forEach((v, i) => walk(v, items, indexPath(path, i), errors));
    return;
  }
  if (!isJsonObject(value)) return;
  const extra = additionalSchema(s);
  for (const [name, v] of Object.entries(value)) {
    const prop = s.properties?.[name];
    if (prop !== undefined) walk(v, prop, childPath(path, name), errors);
    else if (extra !== undefined) walk(v, extra, childPath(path, name), errors);
  }
}

// A key missing from an element counts with its schema default, as kube compares them.
function keyTuple(item: JsonValue, keys: readonly string[], items: JSONSchemaProps | undefined): Record<string, JsonValue> | undefined {
  if (!isJsonObject(item)) return undefined;
  const tuple: Record<string, JsonValue> = {};
  for (const k of keys) {
    const v = item[k] ?? items?.properties?.[k]?.default;
    if (v !== undefined) tuple[k] = v;
  }
  return tuple;
}
