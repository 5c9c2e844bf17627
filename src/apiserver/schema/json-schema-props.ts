import type { JsonValue } from '../json.ts';

/** One `x-kubernetes-validations` entry: a CEL rule and how its failure is reported. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** `FieldValueInvalid` (the default), `FieldValueForbidden`, `FieldValueRequired` or `FieldValueDuplicate`. */
  reason?: string;
  /** A path relative to the node the rule sits on, e.g. `.spec.replicas` or `['key']`. */
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/**
 * A CRD's `openAPIV3Schema` node (apiextensions.k8s.io/v1 JSONSchemaProps), as it arrives in
 * the CRD's JSON. Only the fields kube-apiserver accepts in v1 are typed; the rejected ones
 * (`$ref`, `patternProperties`, ...) are typed loosely so validation can name them.
 */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  default?: JsonValue;
  example?: JsonValue;
  enum?: JsonValue[];
  nullable?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
  $ref?: string;
  $schema?: string;
  id?: string;
  patternProperties?: unknown;
  dependencies?: unknown;
  additionalItems?: unknown;
  definitions?: unknown;
  externalDocs?: { description?: string; url?: string };
}

/** The single item schema of an array node (an items array is rejected at CRD creation). */
export function itemSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const items = s?.items;
  return Array.isArray(items) ? undefined : items;
}

/** The schema for values not named in `properties`, when `additionalProperties` gives one. */
export function additionalSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const extra = s?.additionalProperties;
  if (extra === undefined || extra === false) return undefined;
  return extra === true ? {} : extra;
}

/** The JSON type name kube-openapi reports for a decoded value (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'number': return Number.isInteger(value) ? 'integer' : 'number';
    default: return 'object';
  }
}
