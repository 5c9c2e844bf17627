import { childPath, indexPath, invalid, notSupported, required, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import { validateCrdSchema } from './structural.ts';

const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
function versionsOf(crd: JsonObject): JsonObject[] {
  const versions = obj(crd.spec).versions;
  return Array.isArray(versions) ? versions.filter(isJsonObject) : [];
}

/** A version's `openAPIV3Schema`, when it has one. */
export function versionSchema(version: JsonObject): JSONSchemaProps | undefined {
  const schema = obj(version.schema).openAPIV3Schema;
  return isJsonObject(schema) ? (schema as JSONSchemaProps) : undefined;
}

/**
 * The per-version checks of a CustomResourceDefinition create or update: each version's
 * schema (see validateCrdSchema: structural rules, defaults, CEL compilation) and its
 * `additionalPrinterColumns`. A version without a schema is left to the CRD's own checks
 * (`schemas are required`), so the two lists never repeat an error.
 */
export async function validateCrdVersions(crd: JsonObject): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [i, version] of versionsOf(crd).entries()) {
    const at = indexPath('spec.versions', i);
    const schema = versionSchema(version);
    if (schema !== undefined) errors.push(...(await validateCrdSchema(schema, `${at}.schema.openAPIV3Schema`)));
    const columns = Array.isArray(version.additionalPrinterColumns) ? version.additionalPrinterColumns : [];
    columns.forEach((c, j) => errors.push(...validatePrinterColumn(obj(c), indexPath(`${at}.additionalPrinterColumns`, j))));
  }
  return errors;
}

function validatePrinterColumn(col: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (str(col.name) === '') errors.push(required(childPath(path, 'name'), ''));
  const type = str(col.type);
  if (type === '') errors.push(required(childPath(path, 'type'), `must be one of ${columnTypes.join(',')}`));
  else if (!columnTypes.includes(type)) errors.push(notSupported(childPath(path, 'type'), type, columnTypes));
  const format = str(col.format);
  if (format !== '' && !columnFormats.includes(format)) errors.push(notSupported(childPath(path, 'format'), format, columnFormats));
  const jsonPath = str(col.jsonPath);
  if (jsonPath === '') errors.push(required(childPath(path, 'jsonPath'), ''));
  else if (!jsonPath.startsWith('.')) errors.push(invalid(childPath(path, 'jsonPath'), jsonPath, 'must be a simple json path starting with .'));
  return errors;
}
