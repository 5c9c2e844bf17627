import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';

/** Fields of ObjectMeta: anything else under `metadata` is unknown to kube-apiserver. */
const objectMetaFields = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/**
 * Removes, in place, every field the structural schema does not specify, as kube-apiserver
 * does when it decodes a custom resource, and returns the removed fields' paths, sorted
 * (`spec.foo`, `spec.items[0].bar`, `metadata.foo`), for `fieldValidation=Strict|Warn`.
 *
 * Kept: anything under `x-kubernetes-preserve-unknown-fields: true` (known properties below
 * it are still pruned by their own schemas); `apiVersion`, `kind` and `metadata` at the root
 * and in `x-kubernetes-embedded-resource` nodes, where `metadata` keeps ObjectMeta's fields only.
 */
export function pruneUnknownFields(object: JsonObject, schema: JSONSchemaProps | undefined): string[] {
  const pruned: string[] = [];
  const root: JSONSchemaProps = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  prune(object, root, '', pruned);
  return pruned.sort();
}

/**
 * Prunes a value that is not a resource root (e.g. a CRD `default`) by its schema node, in
 * place, and returns the pruned paths relative to the value.
 */
export function pruneValue(value: JsonValue, schema: JSONSchemaProps | undefined): string[] {
  const pruned: string[] = [];
  prune(value, schema, '', pruned);
  return pruned.sort();
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function prune(value: JsonValue, s: JSONSchemaProps | undefined, path: string, pruned: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    pruneKnown(value, s, path, pruned);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => prune(v, itemSchema(s), `${path}[${i}]`, pruned));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (s?.['x-kubernetes-embedded-resource'] && isTypeMeta(key, v)) {
      if (key === 'metadata') pruneObjectMeta(v as JsonObject, join(path, key), pruned);
      continue;
    }
    const prop = s?.properties?.[key] ?? additionalSchema(s);
    if (prop !== undefined) {
      prune(v, prop, join(path, key), pruned);
    } else {
      pruned.push(join(path, key));
      delete value[key];
    }
  }
}

// Below preserve-unknown-fields, unknown keys stay; specified ones follow their schema.
function pruneKnown(value: JsonValue, s: JSONSchemaProps, path: string, pruned: string[]): void {
  if (Array.isArray(value)) {
    const items = itemSchema(s);
    if (items !== undefined) value.forEach((v, i) => pruneKnown(v, items, `${path}[${i}]`, pruned));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (s['x-kubernetes-embedded-resource'] && isTypeMeta(key, v)) {
      if (key === 'metadata') pruneObjectMeta(v as JsonObject, join(path, key), pruned);
      continue;
    }
    const prop = s.properties?.[key] ?? (s.additionalProperties === undefined ? undefined : additionalSchema(s));
    if (prop !== undefined) prune(v, prop, join(path, key), pruned);
  }
}

function isTypeMeta(key: string, value: JsonValue): boolean {
  if (key === 'apiVersion' || key === 'kind') return typeof value === 'string';
  return key === 'metadata' && isJsonObject(value);
}

function pruneObjectMeta(metadata: JsonObject, path: string, pruned: string[]): void {
  for (const key of Object.keys(metadata)) {
    if (!objectMetaFields.has(key)) {
      pruned.push(join(path, key));
      delete metadata[key];
    }
  }
}
