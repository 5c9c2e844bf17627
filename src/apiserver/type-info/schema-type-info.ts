import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { deduced, list, map, scalar, type FieldType, type ObjectType, type TypeInfo } from './field-type.ts';
import { objectMeta } from './meta-v1.ts';

/**
 * The apply metadata of a custom resource version, read from its CRD's `openAPIV3Schema`:
 * `properties` are declared fields, `additionalProperties` a map, `x-kubernetes-list-type`
 * (default `atomic`, as for every CRD list), `x-kubernetes-list-map-keys`,
 * `x-kubernetes-map-type` and `x-kubernetes-preserve-unknown-fields` (unknown fields are
 * "deduced": granular maps, atomic lists). `metadata` is always an ObjectMeta, as kube-apiserver
 * types it, whatever the schema says.
 *
 * Custom resources have no strategic merge patch metadata: kube-apiserver refuses that patch
 * type for them, so nothing here sets a patch strategy.
 */
export function schemaTypeInfo(openAPIV3Schema: JsonObject): TypeInfo {
  const root = fromSchema(openAPIV3Schema);
  if (root.kind !== 'object') return { root };
  return { root: { ...root, fields: { ...root.fields, apiVersion: scalar, kind: scalar, metadata: objectMeta } } };
}

function fromSchema(schema: JsonValue | undefined): FieldType {
  if (!isJsonObject(schema)) return deduced;
  if (schema['x-kubernetes-int-or-string'] === true) return scalar;
  switch (schema.type) {
    case 'object':
      return objectFromSchema(schema);
    case 'array':
      return listFromSchema(schema);
    case undefined:
      return deduced; // only valid with x-kubernetes-preserve-unknown-fields
    default:
      return scalar;
  }
}

function objectFromSchema(schema: JsonObject): ObjectType {
  const atomic = schema['x-kubernetes-map-type'] === 'atomic';
  const { properties, additionalProperties } = schema;
  if (isJsonObject(additionalProperties)) return map(fromSchema(additionalProperties), { atomic });
  const fields: Record<string, FieldType> = {};
  // Defaults matter here only for list-map keys: an item that omits a defaulted key is
  // identified by the default, as kube's apply does.
  const defaults: Record<string, JsonValue> = {};
  if (isJsonObject(properties)) {
    for (const [name, property] of Object.entries(properties)) {
      fields[name] = fromSchema(property);
      if (isJsonObject(property) && property.default !== undefined) defaults[name] = property.default;
    }
  }
  return { kind: 'object', fields, values: deduced, valuesAreFields: false, atomic, defaults };
}

function listFromSchema(schema: JsonObject): FieldType {
  const listType = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'];
  const items = fromSchema(schema.items);
  if (listType === 'set') return list(items, { listType: 'set' });
  if (listType === 'map' && Array.isArray(keys)) return list(items, { listType: 'map', keys: keys.filter((k) => typeof k === 'string') });
  return list(items, { listType: 'atomic' });
}
