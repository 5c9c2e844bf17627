import { isJsonObject, type JsonValue } from '../json.ts';
import { cloneJson } from '../json-members.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';

/**
 * Applies the schema's `default`s to `value` in place, as kube-apiserver does on every
 * request body and on every read of a stored object:
 * - a property that is missing, or `null` while not `nullable`, gets a copy of its default;
 * - a `null` that is not `nullable` and has no default is dropped (kube prunes these first);
 * - defaults apply inside objects only where the object exists (a default for
 *   `spec.replicas` does nothing while `spec` is absent, unless `spec` itself has a default,
 *   in which case the defaulted `spec` gets its own nested defaults too);
 * - list items and additionalProperties values are defaulted by their schema.
 * Run it after pruning and before validation, as kube-apiserver does.
 */
export function applyDefaults(value: JsonValue, schema: JSONSchemaProps | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items === undefined) return;
    value.forEach((v, i) => {
      if (v === null && !items.nullable && items.default !== undefined) value[i] = cloneJson(items.default);
      applyDefaults(value[i]!, items);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  const properties = schema.properties ?? {};
  for (const [name, prop] of Object.entries(properties)) {
    const current = value[name];
    if (current === null && !prop.nullable && prop.default === undefined) delete value[name];
    else if (prop.default !== undefined && (current === undefined || (current === null && !prop.nullable))) {
      value[name] = cloneJson(prop.default);
    }
  }
  const extra = additionalSchema(schema);
  for (const [name, v] of Object.entries(value)) {
    const prop = properties[name];
    if (prop !== undefined) applyDefaults(v, prop);
    else if (extra !== undefined) {
      if (v === null && !extra.nullable && extra.default !== undefined) value[name] = cloneJson(extra.default);
      applyDefaults(value[name]!, extra);
    }
  }
}
