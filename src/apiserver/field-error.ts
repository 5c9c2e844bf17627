/**
 * Field errors, worded as kube-apiserver words them (k8s.io/apimachinery's `field.Error`),
 * because kubectl and client libraries show these strings to users verbatim and tests
 * written against a real cluster compare them.
 */
import { goSyntax } from './go-format.ts';

/** The `reason` of a cause in a Status' details, one per kind of field error. */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

/** One problem with one field. `field` is a path such as `spec.containers[0].name`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, shown for the types whose wording includes it. */
  value?: unknown;
  /**
   * The value exactly as kube-apiserver prints it, when that is Go syntax rather than JSON
   * (e.g. `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ...}`); wins over `value`.
   */
  valueText?: string;
  detail?: string;
}

const typeWords: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

// These kinds never print the value, only the detail (apimachinery's ErrorBody).
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** The error without its field path, e.g. `Invalid value: 5: must be less than or equal to 3`. */
export function fieldErrorBody(error: FieldError): string {
  let body = typeWords[error.type];
  if (!valueless.has(error.type)) {
    if (error.valueText !== undefined) body += `: ${error.valueText}`;
    else if ('value' in error) body += `: ${formatValue(error.value)}`;
  }
  if (error.detail !== undefined && error.detail !== '') body += `: ${error.detail}`;
  return body;
}

/** The whole error, e.g. `spec.size: Invalid value: 5: must be less than or equal to 3`. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** Several errors as apimachinery aggregates them: one bare, several in brackets, none empty. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const unique = [...new Set(errors.map(formatFieldError))];
  if (unique.length === 0) return '';
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // apimachinery turns a nil value into the string "null" before quoting it
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'object') return goSyntax(value);
  return String(value);
}

/** `field.Required`: `spec.image: Required value`, with an optional detail. */
export function required(field: string, detail?: string): FieldError {
  return detail === undefined ? { type: 'FieldValueRequired', field } : { type: 'FieldValueRequired', field, detail };
}

/** `field.Invalid`: `spec.size: Invalid value: 5: <detail>`. */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

/** `field.NotSupported`: `Unsupported value: "pink": supported values: "red", "blue"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : undefined;
  return detail === undefined ? { type: 'FieldValueNotSupported', field, value } : { type: 'FieldValueNotSupported', field, value, detail };
}

/** `field.Forbidden`: `Forbidden: <detail>`, never with the value. */
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

/** `field.Duplicate`: `Duplicate value: "web"`. */
export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, value };
}

/** `field.TooLong` as kube 1.32 words it: `Too long: may not be more than 63 bytes`. */
export function tooLong(field: string, maxBytes: number): FieldError {
  const detail = maxBytes >= 0 ? `may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return { type: 'FieldValueTooLong', field, detail };
}

/** `field.TooMany`: `Too many: 4: must have at most 3 items`. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  return actual >= 0 ? { type: 'FieldValueTooMany', field, value: actual, detail } : { type: 'FieldValueTooMany', field, detail };
}

/** `field.TypeInvalid`: printed like Invalid (`Invalid value: "string": <detail>`). */
export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, value, detail };
}

/** A child field's path, as apimachinery's `field.Path.Child` prints it (`spec.replicas`). */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** A list element's path (`spec.containers[0]`). */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A map entry's path, unquoted as apimachinery prints it (`data[tls.crt]`). */
export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}
