import { childPath, invalid, notSupported, required, tooLong, tooMany, typeInvalid, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonValue } from '../json.ts';
import { isCheckedFormat, matchesFormat } from './formats.ts';
import { additionalSchema, itemSchema, jsonTypeOf, type JSONSchemaProps } from './json-schema-props.ts';

/**
 * Where a value sits: `name` is kube-openapi's name for it, used inside messages
 * (`spec.size in body should be ...`); `field` is the field path the error is reported on.
 * For a custom resource both are the same (`spec.size`); for a CRD `default` the name is
 * relative to the default and the field path starts at the schema node.
 */
export interface ValuePath {
  name: string;
  field: string;
  /** Where allOf/anyOf/oneOf/not failures are reported: the validation's root (`<nil>` for a resource). */
  root?: string;
}

/** The path of a custom resource's root. */
export const resourceRoot: ValuePath = { name: '', field: '' };

/**
 * Checks `value` against a structural schema the way kube-apiserver's OpenAPI validator does
 * (types, formats, enum, bounds, lengths, patterns, required, item and property counts,
 * nullable, int-or-string, allOf/anyOf/oneOf/not) and returns kube-apiserver's field errors,
 * worded as it words them. Unknown fields must already be pruned; CEL rules, list-type
 * uniqueness and embedded ObjectMeta are checked elsewhere.
 */
export function validateValue(value: JsonValue | undefined, schema: JSONSchemaProps, at: ValuePath = resourceRoot): FieldError[] {
  const errors: FieldError[] = [];
  validateNode(value ?? null, schema, at, errors);
  return errors;
}

function fieldOf(at: ValuePath): string {
  return at.field === '' ? '<nil>' : at.field;
}

// kube-openapi prefixes each message with the value's name and `in body`; an unnamed root
// value keeps the format's leading space (` in body must be ...`), as kube prints it.
function say(at: ValuePath, rest: string): string {
  return `${at.name} in body ${rest}`;
}

function child(at: ValuePath, name: string): ValuePath {
  return { ...at, name: childPath(at.name, name), field: childPath(at.field, name) };
}

function element(at: ValuePath, index: number): ValuePath {
  return { ...at, name: `${at.name}[${index}]`, field: `${at.field}[${index}]` };
}

function validateNode(value: JsonValue, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  if (value === null) {
    // kube-openapi runs only the type and enum checks on null
    if (!s.nullable && s.type !== undefined && s.type !== '' && !s['x-kubernetes-int-or-string']) {
      errors.push(typeInvalid(fieldOf(at), 'null', say(at, `must be of type ${s.type}: "null"`)));
    }
    validateEnum(value, s, at, errors);
    return;
  }
  const actual = jsonTypeOf(value);
  const formatProblem = formatTypeProblem(value, s);
  if (formatProblem !== undefined) {
    errors.push(typeInvalid(fieldOf(at), formatProblem, say(at, `must be of type ${s.format}: ${JSON.stringify(formatProblem)}`)));
  } else if (!formattedString(value, s) && !typeMatches(s, actual)) {
    const expected = s['x-kubernetes-int-or-string'] ? 'integer,string' : s.type!;
    errors.push(typeInvalid(fieldOf(at), actual, say(at, `must be of type ${expected}: "${actual}"`)));
  }
  validateJunctors(value, s, at, errors);
  if (typeof value === 'string') validateString(value, s, at, errors);
  if (typeof value === 'number') validateNumber(value, s, at, errors);
  if (Array.isArray(value)) validateArray(value, s, at, errors);
  validateEnum(value, s, at, errors);
  if (isJsonObject(value)) validateObject(value, s, at, errors);
}

function validateEnum(value: JsonValue, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  if (s.enum !== undefined && s.enum.length > 0 && !s.enum.some((e) => deepEqual(e, value))) {
    const supported = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
    errors.push(notSupported(fieldOf(at), value, supported));
  }
}

function checkedFormat(s: JSONSchemaProps): boolean {
  return s.format !== undefined && s.format !== '' && isCheckedFormat(s.format);
}

// A formatted string schema skips the type check for strings and lists (a kube-openapi quirk).
function formattedString(value: JsonValue, s: JSONSchemaProps): boolean {
  return checkedFormat(s) && s.type !== 'integer' && s.type !== 'number' && (typeof value === 'string' || Array.isArray(value));
}

// For other values a format turns the type error into `must be of type <format>: "<their format>"`.
function formatTypeProblem(value: JsonValue, s: JSONSchemaProps): string | undefined {
  if (!checkedFormat(s) || typeof value === 'string' || Array.isArray(value)) return undefined;
  const actual = jsonTypeOf(value);
  if (typeMatches(s, actual)) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'double';
  return '';
}

function typeMatches(s: JSONSchemaProps, actual: string): boolean {
  if (s['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (s.type === undefined || s.type === '') return true;
  return s.type === actual || (s.type === 'number' && actual === 'integer');
}

function validateString(value: string, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  const length = [...value].length;
  if (s.maxLength !== undefined && length > s.maxLength) errors.push(tooLong(fieldOf(at), s.maxLength));
  if (s.minLength !== undefined && length < s.minLength) {
    errors.push(invalid(fieldOf(at), value, say(at, `should be at least ${s.minLength} chars long`)));
  }
  if (s.pattern !== undefined && !compilePattern(s.pattern).test(value)) {
    errors.push(invalid(fieldOf(at), value, say(at, `should match '${s.pattern}'`)));
  }
  if (checkedFormat(s) && !matchesFormat(s.format!, value)) {
    errors.push(typeInvalid(fieldOf(at), value, say(at, `must be of type ${s.format}: ${JSON.stringify(value)}`)));
  }
}

const patterns = new Map<string, RegExp>();

/** ECMA regexps are close to Go's RE2 for the patterns CRDs use; `u` makes `.` match runes. */
export function compilePattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern, 'u');
    patterns.set(pattern, re);
  }
  return re;
}

function validateNumber(value: number, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  if (s.type !== undefined && s.type !== 'integer' && s.type !== 'number') return;
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !isMultiple(value, s.multipleOf)) {
    errors.push(invalid(fieldOf(at), value, say(at, `should be a multiple of ${s.multipleOf}`)));
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum) {
      const words = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errors.push(invalid(fieldOf(at), value, say(at, `should be ${words} ${s.maximum}`)));
    }
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum) {
      const words = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errors.push(invalid(fieldOf(at), value, say(at, `should be ${words} ${s.minimum}`)));
    }
  }
}

function isMultiple(value: number, factor: number): boolean {
  const q = value / factor;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function validateArray(value: JsonValue[], s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  if (s.minItems !== undefined && value.length < s.minItems) {
    errors.push(invalid(fieldOf(at), value.length, say(at, `should have at least ${s.minItems} items`)));
  }
  if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(tooMany(fieldOf(at), value.length, s.maxItems));
  if (s.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) {
    errors.push(invalid(fieldOf(at), value, say(at, "shouldn't contain duplicates")));
  }
  const items = itemSchema(s);
  if (items !== undefined) value.forEach((v, i) => validateNode(v, items, element(at, i), errors));
}

function validateObject(value: Record<string, JsonValue>, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  const count = Object.keys(value).length;
  if (s.minProperties !== undefined && count < s.minProperties) {
    errors.push(invalid(fieldOf(at), count, say(at, `should have at least ${s.minProperties} properties`)));
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) errors.push(tooMany(fieldOf(at), count, s.maxProperties));
  const properties = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const name of Object.keys(value)) {
      if (!(name in properties)) errors.push(invalid(fieldOf(at), name, `${at.name}.${name} in body is a forbidden property`));
    }
  }
  const extra = additionalSchema(s);
  if (extra !== undefined) {
    for (const [name, v] of Object.entries(value)) {
      if (!(name in properties)) validateNode(v, extra, child(at, name), errors);
    }
  }
  // kube-openapi checks the properties (in Go map order) before the required list
  for (const [name, propSchema] of Object.entries(properties)) {
    if (name in value) validateNode(value[name]!, propSchema, child(at, name), errors);
  }
  for (const name of s.required ?? []) {
    if (!(name in value)) errors.push(required(childPath(at.field, name), ''));
  }
}

// Junctor failures are not field errors in kube-openapi, so kube-apiserver reports them on
// the `<nil>` path with an empty value, followed by the most relevant branch's errors.
function validateJunctors(value: JsonValue, s: JSONSchemaProps, at: ValuePath, errors: FieldError[]): void {
  const junctorError = (detail: string): FieldError => invalid(at.root ?? '<nil>', '', detail);
  if (s.anyOf !== undefined && s.anyOf.length > 0) {
    const results = s.anyOf.map((sub) => subErrors(value, sub, at));
    if (!results.some((r) => r.length === 0)) {
      errors.push(junctorError(`"${at.name}" must validate at least one schema (anyOf)`), ...fewest(results));
    }
  }
  if (s.oneOf !== undefined && s.oneOf.length > 0) {
    const results = s.oneOf.map((sub) => subErrors(value, sub, at));
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      errors.push(junctorError(`"${at.name}" must validate one and only one schema (oneOf). ${found}`));
      if (valid === 0) errors.push(...fewest(results));
    }
  }
  if (s.allOf !== undefined && s.allOf.length > 0) {
    const failures = s.allOf.map((sub) => subErrors(value, sub, at));
    const failed = failures.filter((f) => f.length > 0).length;
    if (failed > 0) {
      errors.push(...failures.flat(), junctorError(`"${at.name}" must validate all the schemas (allOf)${failed === failures.length ? '. None validated' : ''}`));
    }
  }
  if (s.not !== undefined && subErrors(value, s.not, at).length === 0) {
    errors.push(junctorError(`"${at.name}" must not validate the schema (not)`));
  }
}

function subErrors(value: JsonValue, sub: JSONSchemaProps, at: ValuePath): FieldError[] {
  const errors: FieldError[] = [];
  validateNode(value, sub, at, errors);
  return errors;
}

function fewest(results: FieldError[][]): FieldError[] {
  return results.reduce((best, r) => (r.length < best.length ? r : best));
}

/** JSON equality, as enum and uniqueness checks compare values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
