import { isJsonObject, type JsonValue } from '../json.ts';

/**
 * How the values at one place of an object merge: the metadata that strategic merge patch and
 * server-side apply both read, in kube-apiserver's own terms (its OpenAPI extensions
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`,
 * `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`).
 *
 * - `object`: a struct (its keys are declared fields) or a map (its keys are data), or a struct
 *   whose undeclared keys are data (a schema with `x-kubernetes-preserve-unknown-fields`).
 *   Server-side apply tracks declared fields and map keys slightly differently, as kube does.
 * - `list`: `atomic` (one value), `set` (scalars, each owned alone) or `map` (items identified
 *   by `keys`). `patchStrategy`/`patchMergeKey` are what strategic merge patch reads; they can
 *   differ from the list type (Pod `status.hostIPs` merges by `ip` but is atomic for apply).
 * - `scalar`: a leaf.
 * - `any`: shaped by the value found there. With `objects: 'struct'`, an object is a struct
 *   whose fields are all `any` (the untranscribed parts of a built-in kind: every nested
 *   object of a built-in is a struct unless the tables say it is a map); with `objects: 'map'`
 *   it is kube's "deduced" type (granular maps, atomic lists) used for unknown fields.
 */
export type FieldType = ObjectType | ListType | ScalarType | AnyType;

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface ObjectType {
  readonly kind: 'object';
  /** Declared fields with a known type. */
  readonly fields?: Readonly<Record<string, FieldType>>;
  /** The type of any other key. */
  readonly values: FieldType;
  /** True when other keys are declared fields too (a struct), false when they are data (a map). */
  readonly valuesAreFields: boolean;
  /** `x-kubernetes-map-type: atomic` (or a struct marked `+structType=atomic`). */
  readonly atomic?: boolean;
  readonly patchStrategy?: PatchStrategy;
  /** Defaults of fields that serve as list-map keys (e.g. a port's `protocol` is `TCP`). */
  readonly defaults?: Readonly<Record<string, JsonValue>>;
}

export interface ListType {
  readonly kind: 'list';
  readonly items: FieldType;
  readonly listType: 'atomic' | 'set' | 'map';
  /** For `listType: 'map'`: the fields that identify an item. */
  readonly keys?: readonly string[];
  readonly patchStrategy?: PatchStrategy;
  readonly patchMergeKey?: string;
}

export interface ScalarType {
  readonly kind: 'scalar';
}

export interface AnyType {
  readonly kind: 'any';
  readonly objects: 'struct' | 'map';
}

/**
 * The types of one kind (or one custom resource version): its root object. Lookups below never
 * fail; a place the tables do not describe gets the default that kube-apiserver would apply.
 */
export interface TypeInfo {
  readonly root: FieldType;
}

export const scalar: ScalarType = { kind: 'scalar' };
/** kube's "deduced" type: maps granular, lists atomic. */
export const deduced: AnyType = { kind: 'any', objects: 'map' };
/** An untranscribed part of a built-in kind: objects are structs, lists atomic. */
export const builtinField: AnyType = { kind: 'any', objects: 'struct' };

/** A struct: the listed fields, every other key a field of type {@link builtinField}. */
export function struct(fields: Record<string, FieldType> = {}, options: Pick<ObjectType, 'atomic' | 'patchStrategy' | 'defaults'> = {}): ObjectType {
  return { kind: 'object', fields, values: builtinField, valuesAreFields: true, ...options };
}

/** A map whose keys are data and whose values all have one type. */
export function map(values: FieldType = scalar, options: Pick<ObjectType, 'atomic'> = {}): ObjectType {
  return { kind: 'object', values, valuesAreFields: false, ...options };
}

/**
 * A list field. Without an explicit `listType`, the type is derived from the patch strategy the
 * way kube-openapi does for apply: `merge` with a merge key is a map keyed by it, `merge` alone
 * a set, anything else atomic.
 */
export function list(items: FieldType, meta: Partial<Omit<ListType, 'kind' | 'items'>> = {}): ListType {
  let listType = meta.listType;
  let keys = meta.keys;
  if (listType === undefined) {
    const merges = meta.patchStrategy === 'merge' || meta.patchStrategy === 'merge,retainKeys';
    listType = merges ? (meta.patchMergeKey === undefined ? 'set' : 'map') : 'atomic';
    if (listType === 'map') keys = [meta.patchMergeKey!];
  }
  return { kind: 'list', items, ...meta, listType, ...(keys === undefined ? {} : { keys }) };
}

/** A list that strategic merge patch merges by `mergeKey` and apply treats as a map keyed by `keys`. */
export function mergeList(items: FieldType, mergeKey: string, keys: readonly string[] = [mergeKey], patchStrategy: PatchStrategy = 'merge'): ListType {
  return list(items, { patchStrategy, patchMergeKey: mergeKey, listType: 'map', keys });
}

/** The concrete type of `value` at a place typed `type`: resolves `any` by the value's shape. */
export function concreteType(type: FieldType, value: JsonValue | undefined): FieldType {
  if (type.kind !== 'any') return type;
  if (Array.isArray(value)) return list(type, { listType: 'atomic' });
  if (isJsonObject(value)) return type.objects === 'struct' ? struct() : map(deduced);
  return scalar;
}

/** The type of member `key` of an object typed `type`, and whether it is a declared field. */
export function memberType(type: FieldType, key: string): { type: FieldType; declared: boolean } {
  const concrete = concreteType(type, {});
  if (concrete.kind !== 'object') return { type: deduced, declared: false };
  const field = concrete.fields === undefined || !Object.hasOwn(concrete.fields, key) ? undefined : concrete.fields[key];
  if (field !== undefined) return { type: field, declared: true };
  return { type: concrete.values, declared: concrete.valuesAreFields };
}

/** The type of the items of a list typed `type`. */
export function itemType(type: FieldType): FieldType {
  return type.kind === 'list' ? type.items : type.kind === 'any' ? type : deduced;
}
