import { cloneJson } from '../json-members.ts';
import { childPath, forbidden, indexPath, invalid, keyPath, notSupported, required, type FieldError } from '../field-error.ts';
import { compileCelRules } from './cel-rules.ts';
import { compilePattern, validateValue } from './validate-value.ts';
import { pruneValue } from './prune.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';
import { deepEqual } from './validate-value.ts';

const openAPIV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const unsupported = ['$ref', 'id', '$schema', 'definitions', 'dependencies', 'additionalItems', 'patternProperties'] as const;

type Level = 'root' | 'item' | 'field';

/**
 * Every check kube-apiserver makes on a CRD version's `openAPIV3Schema` when the CRD is
 * created or updated, with its wording, on paths below `path`
 * (e.g. `spec.versions[0].schema.openAPIV3Schema`):
 * - the keywords apiextensions.k8s.io/v1 refuses (`$ref`, `patternProperties`, `uniqueItems`,
 *   `additionalProperties` beside `properties`, an `items` array, ...);
 * - structural schema rules (a `type` everywhere, nothing in allOf/anyOf/oneOf/not that the
 *   schema itself does not specify, `metadata` limited to name and generateName, the
 *   embedded-resource and int-or-string rules);
 * - list and map types (`x-kubernetes-list-map-keys` needs `x-kubernetes-list-type: map`,
 *   scalar, required-or-defaulted keys);
 * - every `default` is pruned and valid against its node;
 * - every `x-kubernetes-validations` rule compiles (this loads the CEL library when a rule exists).
 */
export async function validateCrdSchema(schema: JSONSchemaProps | undefined, path: string): Promise<FieldError[]> {
  if (schema === undefined) return [required(path, 'schemas are required')];
  const errors = validateSchemaShape(schema, path);
  if (errors.length > 0) return errors;
  errors.push(...validateDefaults(schema, path));
  const cel = await compileCelRules(schema, path);
  errors.push(...cel.errors);
  return errors;
}

/** The synchronous part of {@link validateCrdSchema}: everything except defaults and CEL. */
export function validateSchemaShape(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  keywords(schema, path, errors);
  const structural: FieldError[] = [];
  invariants(schema, 'root', path, structural);
  completeness(schema, schema, path, path, structural);
  structural.sort((a, b) => (a.field + a.detail < b.field + b.detail ? -1 : 1));
  return [...errors, ...structural];
}

function eachChild(s: JSONSchemaProps, path: string, visit: (child: JSONSchemaProps, childPath: string) => void): void {
  for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, keyPath(`${path}.properties`, k));
  const items = itemSchema(s);
  if (items !== undefined) visit(items, `${path}.items`);
  if (typeof s.additionalProperties === 'object') visit(s.additionalProperties, `${path}.additionalProperties`);
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const) (s[j] ?? []).forEach((v, i) => visit(v, indexPath(`${path}.${j}`, i)));
  if (s.not !== undefined) visit(s.not, `${path}.not`);
}

function keywords(s: JSONSchemaProps, path: string, errors: FieldError[]): void {
  for (const k of unsupported) if (s[k] !== undefined) errors.push(forbidden(childPath(path, k), `${k} is not supported`));
  if (s.type !== undefined && s.type !== '' && !openAPIV3Types.includes(s.type)) errors.push(notSupported(childPath(path, 'type'), s.type, openAPIV3Types));
  if (s.uniqueItems === true) errors.push(forbidden(childPath(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (Array.isArray(s.items)) errors.push(forbidden(childPath(path, 'items'), 'items must be a schema object and not an array'));
  if (s.additionalProperties !== undefined && Object.keys(s.properties ?? {}).length > 0 && s.additionalProperties !== true) {
    errors.push(forbidden(childPath(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errors.push(invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  if (s.pattern !== undefined) {
    try {
      compilePattern(s.pattern);
    } catch (err) {
      errors.push(invalid(childPath(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
    }
  }
  mapAndListTypes(s, path, errors);
  eachChild(s, path, (child, p) => keywords(child, p, errors));
}

function typeMustBe(s: JSONSchemaProps, path: string, type: string, because: string, errors: FieldError[]): void {
  if (s.type === type) return;
  if (s.type === undefined || s.type === '') errors.push(required(childPath(path, 'type'), `must be ${type} if ${because}`));
  else errors.push(invalid(childPath(path, 'type'), s.type, `must be ${type} if ${because}`));
}

function mapAndListTypes(s: JSONSchemaProps, path: string, errors: FieldError[]): void {
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    typeMustBe(s, path, 'object', 'x-kubernetes-map-type is specified', errors);
    if (mapType !== 'atomic' && mapType !== 'granular') errors.push(notSupported(childPath(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (listType !== undefined) {
    typeMustBe(s, path, 'array', 'x-kubernetes-list-type is specified', errors);
    if (!['atomic', 'set', 'map'].includes(listType)) errors.push(notSupported(childPath(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  if (keys.length > 0) {
    if (listType === undefined) errors.push(required(childPath(path, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errors.push(invalid(childPath(path, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType !== 'map') return;
  const keysText = `[]string{${keys.map((k) => JSON.stringify(k)).join(', ')}}`;
  if (keys.length === 0) errors.push(required(childPath(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
  const items = itemSchema(s);
  if (items === undefined) {
    errors.push(required(childPath(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    return;
  }
  if (items.type !== 'object') {
    errors.push(invalid(`${path}.items.type`, items.type ?? '', 'must be object if parent array\'s x-kubernetes-list-type is map'));
  }
  const seen = new Set<string>();
  for (const k of keys) {
    const prop = items.properties?.[k];
    if (prop === undefined) {
      errors.push({ type: 'FieldValueInvalid', field: childPath(path, 'x-kubernetes-list-map-keys'), valueText: keysText, detail: 'entries must all be names of item properties' });
    } else {
      if (prop.type === 'array' || prop.type === 'object') errors.push(invalid(`${path}.items.properties[${k}].type`, prop.type, 'must be a scalar type if used as list map key'));
      if (!(items.required ?? []).includes(k) && prop.default === undefined) {
        errors.push(required(`${path}.items.properties[${k}].default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
      }
    }
    if (seen.has(k)) errors.push({ type: 'FieldValueInvalid', field: childPath(path, 'x-kubernetes-list-map-keys'), valueText: keysText, detail: 'must not contain duplicate entries' });
    seen.add(k);
  }
}

function invariants(s: JSONSchemaProps, level: Level, path: string, errors: FieldError[]): void {
  const items = itemSchema(s);
  if (s.type === 'array' && items === undefined) errors.push(required(childPath(path, 'items'), 'must be specified'));
  if (items !== undefined) invariants(items, 'item', `${path}.items`, errors);
  for (const [k, v] of Object.entries(s.properties ?? {})) invariants(v, 'field', keyPath(`${path}.properties`, k), errors);
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (level === 'root') errors.push(forbidden(childPath(path, 'additionalProperties'), 'must not be used at the root'));
    if (typeof s.additionalProperties === 'object') invariants(s.additionalProperties, 'field', `${path}.additionalProperties`, errors);
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) errors.push(invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errors.push(invalid(childPath(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  junctors(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(s.allOf?.[0]?.anyOf), level, path, errors);
  const hasType = s.type !== undefined && s.type !== '';
  if (embedded && s.type !== 'object') {
    if (!hasType) errors.push(required(childPath(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errors.push(invalid(childPath(path, 'type'), s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!hasType && !intOrString && !preserve) {
    const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[level];
    errors.push(required(childPath(path, 'type'), detail));
  }
  if (embedded && s.additionalProperties !== undefined) errors.push(forbidden(childPath(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (level === 'root' && hasType && s.type !== 'object') errors.push(invalid(childPath(path, 'type'), s.type, 'must be object at the root'));
  const checkMetadata = level === 'root' || embedded;
  const props = s.properties ?? {};
  if (checkMetadata && props.kind !== undefined && props.kind.type !== 'string') errors.push(invalid(`${path}.properties[kind].type`, props.kind.type ?? '', 'must be string'));
  if (checkMetadata && props.apiVersion !== undefined && props.apiVersion.type !== 'string') errors.push(invalid(`${path}.properties[apiVersion].type`, props.apiVersion.type ?? '', 'must be string'));
  if (checkMetadata && props.metadata !== undefined && props.metadata.type !== 'object') errors.push(invalid(`${path}.properties[metadata].type`, props.metadata.type ?? '', 'must be object'));
  if (level === 'root' && props.metadata !== undefined && !onlyNameRestrictions(props.metadata)) {
    errors.push(forbidden(`${path}.properties[metadata]`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errors.push(required(childPath(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
}

function onlyNameRestrictions(metadata: JSONSchemaProps): boolean {
  const { type: _type, default: _default, description: _description, properties, ...rest } = metadata;
  const names = Object.keys(properties ?? {});
  return Object.keys(rest).length === 0 && names.every((n) => n === 'name' || n === 'generateName');
}

const intOrStringAnyOf: JSONSchemaProps[] = [{ type: 'integer' }, { type: 'string' }];

function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return anyOf !== undefined && deepEqual(anyOf, intOrStringAnyOf);
}

function junctors(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, level: Level, path: string, errors: FieldError[]): void {
  if (!skipAnyOf) (s.anyOf ?? []).forEach((v, i) => nested(v, false, level, indexPath(`${path}.anyOf`, i), errors));
  (s.allOf ?? []).forEach((v, i) => nested(v, skipFirstAllOfAnyOf && i === 0, level, indexPath(`${path}.allOf`, i), errors));
  (s.oneOf ?? []).forEach((v, i) => nested(v, false, level, indexPath(`${path}.oneOf`, i), errors));
  if (s.not !== undefined) nested(s.not, false, level, `${path}.not`, errors);
}

// Inside allOf/anyOf/oneOf/not a schema may only constrain values, never specify them.
function nested(v: JSONSchemaProps, skipAnyOf: boolean, level: Level, path: string, errors: FieldError[]): void {
  junctors(v, skipAnyOf, false, level, path, errors);
  const items = itemSchema(v);
  if (items !== undefined) nested(items, false, level, `${path}.items`, errors);
  for (const [k, f] of Object.entries(v.properties ?? {})) nested(f, false, 'field', keyPath(`${path}.properties`, k), errors);
  const rules: [keyof JSONSchemaProps, boolean, string][] = [
    ['type', v.type !== undefined && v.type !== '', 'must be empty to be structural'],
    ['additionalProperties', v.additionalProperties !== undefined, 'must be undefined to be structural'],
    ['default', v.default !== undefined, 'must be undefined to be structural'],
    ['title', (v.title ?? '') !== '', 'must be empty to be structural'],
    ['description', (v.description ?? '') !== '', 'must be empty to be structural'],
    ['nullable', v.nullable === true, 'must be false to be structural'],
    ['x-kubernetes-preserve-unknown-fields', v['x-kubernetes-preserve-unknown-fields'] === true, 'must be false to be structural'],
    ['x-kubernetes-embedded-resource', v['x-kubernetes-embedded-resource'] === true, 'must be false to be structural'],
    ['x-kubernetes-int-or-string', v['x-kubernetes-int-or-string'] === true, 'must be false to be structural'],
    ['x-kubernetes-list-map-keys', (v['x-kubernetes-list-map-keys'] ?? []).length > 0, 'must be empty to be structural'],
    ['x-kubernetes-list-type', v['x-kubernetes-list-type'] !== undefined, 'must be undefined to be structural'],
    ['x-kubernetes-map-type', v['x-kubernetes-map-type'] !== undefined, 'must be undefined to be structural'],
    ['x-kubernetes-validations', (v['x-kubernetes-validations'] ?? []).length > 0, 'must be empty to be structural'],
  ];
  for (const [key, present, detail] of rules) if (present) errors.push(forbidden(childPath(path, key), detail));
  if (v.properties?.metadata !== undefined) errors.push(forbidden(`${path}.properties[metadata]`, 'must not be specified in a nested context'));
}

// Every property or items that a junctor talks about must also be specified by the schema.
function completeness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string, errors: FieldError[]): void {
  const junctorSchemas: [JSONSchemaProps, string][] = [];
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const) (v[j] ?? []).forEach((x, i) => junctorSchemas.push([x, indexPath(`${vPath}.${j}`, i)]));
  if (v.not !== undefined) junctorSchemas.push([v.not, `${vPath}.not`]);
  for (const [x, xPath] of junctorSchemas) nestedCompleteness(x, s, sPath, xPath, errors);
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string, errors: FieldError[]): void {
  if (s === undefined) {
    errors.push(required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  completeness(v, s, sPath, vPath, errors);
  const items = itemSchema(v);
  if (items !== undefined) nestedCompleteness(items, itemSchema(s), `${sPath}.items`, `${vPath}.items`, errors);
  for (const [k, f] of Object.entries(v.properties ?? {})) {
    const sProp = s.properties?.[k];
    if (sProp === undefined) errors.push(required(keyPath(`${sPath}.properties`, k), `because it is defined in ${keyPath(`${vPath}.properties`, k)}`));
    else nestedCompleteness(f, sProp, keyPath(`${sPath}.properties`, k), keyPath(`${vPath}.properties`, k), errors);
  }
}

/** Each `default` must survive pruning unchanged and validate against its own node. */
function validateDefaults(s: JSONSchemaProps, path: string, errors: FieldError[] = []): FieldError[] {
  if (s.default !== undefined) {
    const pruned = cloneJson(s.default);
    pruneValue(pruned, s);
    if (!deepEqual(pruned, s.default)) errors.push(invalid(`${path}.default`, s.default, 'must not have unknown fields'));
    else errors.push(...validateValue(s.default, s, { name: '', field: `${path}.default`, root: `${path}.default` }));
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (path.endsWith('openAPIV3Schema') && k === 'metadata') continue;
    validateDefaults(v, keyPath(`${path}.properties`, k), errors);
  }
  const items = itemSchema(s);
  if (items !== undefined) validateDefaults(items, `${path}.items`, errors);
  const extra = additionalSchema(s);
  if (extra !== undefined && typeof s.additionalProperties === 'object') validateDefaults(extra, `${path}.additionalProperties`, errors);
  return errors;
}
