/**
 * Field errors, worded as kube-apiserver words them (k8s.io/apimachinery's `field.Error`),
 * because kubectl and client libraries show these strings to users verbatim and tests
 * written against a real cluster compare them.
 */

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
  if (!valueless.has(error.type) && 'value' in error) body += `: ${formatValue(error.value)}`;
  if (error.detail !== undefined && error.detail !== '') body += `: ${error.detail}`;
  return body;
}

/** The whole error, e.g. `spec.size: Invalid value: 5: must be less than or equal to 3`. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** Several errors as apimachinery aggregates them: one bare, several in brackets. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const unique = [...new Set(errors.map(formatFieldError))];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
