/** The schema language: define once, get a type, a validator, a CRD schema and a field reference. */
export * from './schema.ts';
export { checkValue, validate } from './check.ts';
export { formatPath, formatProblem, type FieldPath, type FieldProblem } from './field-problem.ts';
export { toOpenApi, type OpenApiSchema } from './openapi.ts';
export { fieldRows, markdownTable, type FieldRow } from './field-reference.ts';
