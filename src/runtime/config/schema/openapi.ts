/**
 * The CRD side of the schema language: a structural openAPIV3Schema, as the API server
 * requires for `apiextensions.k8s.io/v1` (every node typed, objects closed unless marked
 * `x-kubernetes-preserve-unknown-fields`, `oneOf` only as value validation).
 */
import type { SchemaNode } from './schema.ts';

/** A JSON schema object, as it goes into the CRD. */
export type OpenApiSchema = { [key: string]: unknown };

/** The structural schema of `node`. Semantic checks (`check` functions) have no CRD form; the host runs them. */
export function toOpenApi(node: SchemaNode): OpenApiSchema {
  const base = { description: node.description };
  switch (node.type) {
    case 'string':
      return {
        type: 'string',
        ...base,
        ...(node.enum === undefined ? {} : { enum: [...node.enum] }),
        ...(node.pattern === undefined ? {} : { pattern: node.pattern }),
        ...(node.maxLength === undefined ? {} : { maxLength: node.maxLength }),
      };
    case 'integer':
      return { type: 'integer', format: 'int64', ...base, ...(node.minimum === undefined ? {} : { minimum: node.minimum }) };
    case 'boolean':
      return { type: 'boolean', ...base };
    case 'intOrString':
      return { ...base, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    case 'array':
      return {
        type: 'array',
        ...base,
        items: toOpenApi(node.items),
        ...(node.minItems === undefined ? {} : { minItems: node.minItems }),
        ...(node.listType === undefined ? {} : { 'x-kubernetes-list-type': node.listType }),
        ...(node.listMapKeys === undefined ? {} : { 'x-kubernetes-list-map-keys': [...node.listMapKeys] }),
      };
    case 'map':
      return { type: 'object', ...base, additionalProperties: toOpenApi(node.values) };
    case 'freeForm':
      return { type: 'object', ...base, 'x-kubernetes-preserve-unknown-fields': true };
    case 'object': {
      const required = Object.entries(node.fields).filter(([, f]) => f.required).map(([name]) => name);
      return {
        type: 'object',
        ...base,
        properties: Object.fromEntries(Object.entries(node.fields).map(([name, f]) => [name, toOpenApi(f.node)])),
        ...(required.length === 0 ? {} : { required }),
        ...(node.exactlyOne === undefined ? {} : { oneOf: node.exactlyOne.map((name) => ({ required: [name] })) }),
        ...(node.rules === undefined ? {} : { 'x-kubernetes-validations': node.rules.map((r) => ({ rule: r.cel, message: r.message })) }),
        ...(node.open === true ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
      };
    }
  }
}
