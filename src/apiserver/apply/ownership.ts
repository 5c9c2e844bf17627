/**
 * The bookkeeping shared by apply and by ordinary writes: which fields a change touches, who
 * loses them, and the metadata fields nobody is recorded as owning.
 */
import type { JsonObject, JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { FieldType } from '../type-info/index.ts';
import { compareObjects, type Comparison } from './compare.ts';
import { FieldSet } from './field-set.ts';
import type { ManagedFields, ManagerEntry } from './managed-fields.ts';
import type { PathElement } from './path-element.ts';

/** A path given as field names, e.g. `['status']` or `['spec', 'replicas']`. */
export type FieldNamePath = readonly string[];

const strippedPaths: FieldNamePath[] = [
  ['apiVersion'], ['kind'], ['metadata'], ['metadata', 'name'], ['metadata', 'namespace'], ['metadata', 'creationTimestamp'],
  ['metadata', 'selfLink'], ['metadata', 'uid'], ['metadata', 'clusterName'], ['metadata', 'generation'],
  ['metadata', 'managedFields'], ['metadata', 'resourceVersion'],
];
const stripped = FieldSet.fromPaths(strippedPaths.map(toPath));

/** Fields kube never records an owner for: identity, versioning and managedFields itself. */
export function withoutStrippedFields(set: FieldSet): FieldSet {
  return set.difference(stripped);
}

/** The set without any path at or below one of `ignored` (kube's reset fields of a request). */
export function withoutIgnored(set: FieldSet, ignored: readonly FieldNamePath[]): FieldSet {
  if (ignored.length === 0) return set;
  const prefixes = ignored.map(toPath);
  return FieldSet.fromPaths(set.paths().filter((path) => !prefixes.some((prefix) => startsWith(path, prefix))));
}

export interface OwnershipChange {
  comparison: Comparison;
  /** Managers that own a field the change gives a new value, with those fields. */
  conflicts: { id: string; entry: ManagerEntry; fields: FieldSet }[];
}

/**
 * Compares `before` and `after` and takes from every manager but `self` the fields that were
 * removed and, when `force` (always, for a plain write), the fields that changed. Without
 * `force`, changed fields owned by others are reported as conflicts and nothing is taken.
 * `managed` is modified in place.
 */
export function transferOwnership(before: JsonValue, after: JsonValue, type: FieldType, managed: ManagedFields, self: string, force: boolean, ignored: readonly FieldNamePath[]): OwnershipChange {
  const raw = compareObjects(before, after, type);
  const comparison = {
    added: withoutIgnored(raw.added, ignored),
    modified: withoutIgnored(raw.modified, ignored),
    removed: withoutIgnored(raw.removed, ignored),
  };
  const changed = comparison.modified.union(comparison.added);
  const conflicts: OwnershipChange['conflicts'] = [];
  for (const [id, entry] of managed) {
    if (id === self) continue;
    const fields = entry.fields.intersection(changed);
    if (!fields.isEmpty()) conflicts.push({ id, entry, fields });
  }
  if (!force && conflicts.length > 0) return { comparison, conflicts };
  for (const [id, entry] of [...managed]) {
    if (id === self) continue;
    const rest = entry.fields.difference(changed.intersection(entry.fields)).difference(comparison.removed);
    if (rest.isEmpty()) managed.delete(id);
    else managed.set(id, { ...entry, fields: rest });
  }
  return { comparison, conflicts };
}

/** The object without `metadata.managedFields` (a copy; the argument is not modified). */
export function withoutManagedFields(object: JsonObject): JsonObject {
  const metadata = object.metadata;
  if (!isJsonObject(metadata) || !Object.hasOwn(metadata, 'managedFields')) return object;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...object, metadata: rest };
}

/** The object with `metadata.managedFields` set to `entries`, or without it when undefined. */
export function withManagedFields(object: JsonObject, entries: JsonObject[] | undefined): JsonObject {
  const base = withoutManagedFields(object);
  if (entries === undefined) return base;
  const metadata = isJsonObject(base.metadata) ? base.metadata : {};
  return { ...base, metadata: { ...metadata, managedFields: entries } };
}

function toPath(names: FieldNamePath): PathElement[] {
  return names.map((field) => ({ field }));
}

function startsWith(path: readonly PathElement[], prefix: readonly PathElement[]): boolean {
  return prefix.length <= path.length && prefix.every((pe, i) => 'field' in pe && 'field' in path[i]! && (path[i] as { field: string }).field === pe.field);
}
