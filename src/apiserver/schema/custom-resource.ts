import { childPath, invalid, required, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson } from '../json-members.ts';
import { validateAnnotations, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.ts';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../validation/names.ts';
import type { CelValidator } from './cel-rules.ts';
import { applyDefaults } from './defaults.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';
import { validateListTypes } from './list-types.ts';
import { pruneUnknownFields } from './prune.ts';
import { ratchetErrors } from './ratcheting.ts';
import { validateValue } from './validate-value.ts';

/** What validation needs to know about one served version of a CRD. */
export interface CustomResourceVersion {
  /** `group/version`, e.g. `example.com/v1`. */
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  schema: JSONSchemaProps;
  /** From `compileCelRules`; undefined when the version declares no rules. */
  cel?: CelValidator;
}

/**
 * The decode step of a create or update: prunes unknown fields and applies defaults, in
 * place, in kube-apiserver's order. Returns the pruned paths for `fieldValidation`.
 */
export function decodeCustomResource(object: JsonObject, schema: JSONSchemaProps): string[] {
  const unknown = pruneUnknownFields(object, schema);
  applyDefaults(object, schema);
  return unknown;
}

/**
 * A stored object as a read returns it: a copy with the schema's current defaults applied,
 * so defaults added to a CRD after the object was written show up on get, list and watch.
 */
export function defaultOnRead(object: JsonObject, schema: JSONSchemaProps): JsonObject {
  const copy = cloneJson(object);
  applyDefaults(copy, schema);
  return copy;
}

/**
 * Every check kube-apiserver runs on a custom resource before storing it, in its order:
 * apiVersion/kind, ObjectMeta (create or update rules; names are DNS subdomains), the
 * OpenAPI schema, embedded resources, list-type uniqueness, and then the CEL rules, which
 * are skipped (with kube's notice) when a type error or an unsupported value was found.
 * On update, schema and CEL errors at places the update left unchanged are ratcheted away.
 * Pass `oldObject` on update. Call after {@link decodeCustomResource} and after the
 * generateName has become a name.
 */
export function validateCustomResource(object: JsonObject, oldObject: JsonObject | undefined, version: CustomResourceVersion): FieldError[] {
  const typeErrors = validateTypeMeta(object, version);
  if (typeErrors.length > 0) return typeErrors;
  const errors: FieldError[] = [];
  errors.push(...(oldObject === undefined
    ? validateObjectMeta(object.metadata, version.namespaced, nameIsDNSSubdomain)
    : validateObjectMetaUpdate(object.metadata, oldObject.metadata, { requireResourceVersion: true })));
  errors.push(...validateMetadataNames(object.metadata, version.schema.properties?.metadata));
  const { metadata: _m, apiVersion: _a, kind: _k, ...content } = object;
  const rootSchema: JSONSchemaProps = { ...version.schema, properties: withoutTypeMeta(version.schema.properties) };
  const schemaErrors = validateValue(content, rootSchema);
  errors.push(...(oldObject === undefined ? schemaErrors : ratchetErrors(schemaErrors, object, oldObject, version.schema)));
  errors.push(...validateEmbeddedResources(object, version.schema, ''));
  errors.push(...validateListTypes(object, version.schema));
  if (version.cel !== undefined) {
    if (errors.some((e) => e.type === 'FieldValueTypeInvalid' || e.type === 'FieldValueNotSupported')) {
      errors.push(invalid('<nil>', 'null', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
    } else {
      errors.push(...version.cel.validate(object, oldObject));
    }
  }
  return errors;
}

// A CRD schema may restrict metadata.name and metadata.generateName (and nothing else there).
function validateMetadataNames(metadata: JsonValue | undefined, metaSchema: JSONSchemaProps | undefined): FieldError[] {
  if (metaSchema === undefined || !isJsonObject(metadata)) return [];
  const errors: FieldError[] = [];
  for (const key of ['name', 'generateName']) {
    const s = metaSchema.properties?.[key];
    const value = metadata[key];
    if (s !== undefined && value !== undefined) errors.push(...validateValue(value, s, { name: `metadata.${key}`, field: `metadata.${key}` }));
  }
  return errors;
}

function withoutTypeMeta(properties: Record<string, JSONSchemaProps> | undefined): Record<string, JSONSchemaProps> | undefined {
  if (properties === undefined) return undefined;
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = properties;
  return rest;
}

function validateTypeMeta(object: JsonObject, version: CustomResourceVersion): FieldError[] {
  const errors: FieldError[] = [];
  if (object.kind !== version.kind) errors.push(invalid('kind', object.kind ?? '', `must be ${version.kind}`));
  if (object.apiVersion !== version.apiVersion) errors.push(invalid('apiVersion', object.apiVersion ?? '', `must be ${version.apiVersion}`));
  return errors;
}

// x-kubernetes-embedded-resource values must be objects with apiVersion, kind and a valid metadata.
function validateEmbeddedResources(value: JsonValue | undefined, s: JSONSchemaProps | undefined, path: string, isRoot = true): FieldError[] {
  if (s === undefined || value === undefined || value === null) return [];
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    const items = itemSchema(s);
    value.forEach((v, i) => errors.push(...validateEmbeddedResources(v, items, `${path}[${i}]`, false)));
    return errors;
  }
  if (!isJsonObject(value)) return errors;
  if (!isRoot && s['x-kubernetes-embedded-resource']) {
    for (const key of ['apiVersion', 'kind']) {
      if (typeof value[key] !== 'string' || value[key] === '') errors.push(required(childPath(path, key), 'must not be empty'));
    }
    const meta = isJsonObject(value.metadata) ? value.metadata : {};
    const metaPath = childPath(path, 'metadata');
    if (typeof meta.name === 'string' && meta.name !== '') {
      for (const msg of isDNS1123Subdomain(meta.name)) errors.push(invalid(childPath(metaPath, 'name'), meta.name, msg));
    }
    errors.push(...validateLabels(meta.labels, childPath(metaPath, 'labels')), ...validateAnnotations(meta.annotations, childPath(metaPath, 'annotations')));
  }
  const extra = additionalSchema(s);
  for (const [k, v] of Object.entries(value)) {
    if (isRoot && k === 'metadata') continue;
    const prop = s.properties?.[k] ?? extra;
    errors.push(...validateEmbeddedResources(v, prop, childPath(path, k), false));
  }
  return errors;
}
