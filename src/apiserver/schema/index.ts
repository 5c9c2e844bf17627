/**
 * CRD schemas as kube-apiserver applies them: schema checks at CRD creation, pruning,
 * defaulting, validation (OpenAPI and CEL), field validation modes and the status
 * subresource. Pure functions: the server calls them, they do no I/O.
 */
export type { JSONSchemaProps, ValidationRule } from './json-schema-props.ts';
export { validateCrdSchema, validateSchemaShape } from './structural.ts';
export { validateValue, type ValuePath } from './validate-value.ts';
export { pruneUnknownFields } from './prune.ts';
export { applyDefaults } from './defaults.ts';
export { validateListTypes } from './list-types.ts';
export { compileCelRules, compileCelRulesWith, loadCelRuntime, hasCelRules, type CelValidator, type CelCompilation, type CelRuntime } from './cel-rules.ts';
export { decodeCustomResource, defaultOnRead, validateCustomResource, type CustomResourceVersion } from './custom-resource.ts';
export { applyStatusSubresource, type WriteTarget } from './status-subresource.ts';
export { unknownFieldOutcome, type FieldValidation, type UnknownFieldOutcome } from './field-validation.ts';
export { validateCrdVersions, versionSchema } from './crd-versions.ts';
