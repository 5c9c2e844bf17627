/**
 * Where lists and maps sit in an object and how they merge: the metadata shared by strategic
 * merge patch (`../patch/`) and server-side apply (`../apply/`), for the built-in kinds
 * (transcribed tables) and for custom resources (read from their schema).
 */
export {
  builtinField, concreteType, deduced, itemType, memberType,
  type AnyType, type FieldType, type ListType, type ObjectType, type PatchStrategy, type ScalarType, type TypeInfo,
} from './field-type.ts';
export { builtinTypeInfo, type GroupVersionKind } from './builtin-type-info.ts';
export { schemaTypeInfo } from './schema-type-info.ts';
