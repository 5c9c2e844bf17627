import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { jsonEqual, setMember } from '../json-members.ts';
import { PatchError } from '../patch/index.ts';
import type { FieldType, TypeInfo } from '../type-info/index.ts';
import type { ApplyConflict } from './apply-conflict.ts';
import { FieldSet } from './field-set.ts';
import { decodeManagedFields, encodeManagedFields, managerIdentifier, type ManagedFields } from './managed-fields.ts';
import { mergeValues } from './merge-values.ts';
import { transferOwnership, withManagedFields, withoutIgnored, withoutManagedFields, withoutStrippedFields, type FieldNamePath } from './ownership.ts';
import { pathToString } from './path-element.ts';
import { removeItems } from './remove-items.ts';
import { toFieldSet } from './to-field-set.ts';

export interface ApplyOptions {
  /** `?fieldManager=`; kube requires it for apply (kubectl sends `kubectl`), "unknown" if empty. */
  fieldManager: string;
  /** `?force=true`: take conflicting fields from their owners instead of failing. */
  force: boolean;
  /** The time to record, RFC 3339 with seconds (`2026-01-02T03:04:05Z`). */
  now: string;
  typeInfo: TypeInfo;
  /** `status` for an apply to the status subresource. */
  subresource?: string;
  /**
   * Fields the request may not set, which therefore nobody is recorded as owning: kube's reset
   * fields, e.g. `[['status']]` on the main resource of a kind with a status subresource and
   * `[['spec']]` on its status subresource. Resetting their values is the caller's job.
   */
  ignoredFields?: readonly FieldNamePath[];
}

export type ApplyResult =
  | { kind: 'applied'; object: JsonObject }
  | { kind: 'conflict'; conflicts: ApplyConflict[] };

const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Server-side apply (`application/apply-patch+yaml`), as kube-apiserver's field manager does it
 * (structured-merge-diff): merges the applied configuration into the live object by the kind's
 * list and map types, removes the fields this manager applied last time and omits now unless
 * another manager owns them, and records ownership in `metadata.managedFields` (the applier's
 * entry is replaced by exactly what it applied; others lose what changed or went away).
 *
 * `live` undefined is a create: the result is the applied object with its managedFields; the
 * caller sets uid, resourceVersion and the like. An object without managedFields first has its
 * current fields given to a "before-first-apply" manager, as kube does. The caller checks the
 * applied object's apiVersion and kind against the URL, and defaults and validates the result.
 *
 * @returns the new object, or the conflicts when another manager owns a field this apply would
 *   change and `force` is false (format them with `applyConflictMessage`).
 * @throws PatchError 400 when the applied object carries managedFields; 500 when a list in it
 *   repeats a key or lacks one, or the live managedFields cannot be decoded.
 */
export function serverSideApply(live: JsonObject | undefined, applied: JsonObject, options: ApplyOptions): ApplyResult {
  const appliedMeta = applied.metadata;
  if (isJsonObject(appliedMeta) && appliedMeta.managedFields !== undefined && appliedMeta.managedFields !== null) {
    throw new PatchError(400, 'BadRequest', 'metadata.managedFields must be nil');
  }
  const type = options.typeInfo.root;
  const ignored = options.ignoredFields ?? [];
  const apiVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  const managed = decodeLiveManagedFields(live);
  const current = live === undefined ? {} : withoutManagedFields(live);
  if (managed.size === 0 && live !== undefined) recordExistingFields(current, managed, type, apiVersion, options.now, ignored);

  const entryBase = { manager: options.fieldManager === '' ? 'unknown' : options.fieldManager, operation: 'Apply' as const, apiVersion, ...subresourceOf(options) };
  const self = managerIdentifier(entryBase);
  const previous = managed.get(self);
  const merged = mergeValues(current, applied, type) as JsonObject;
  const applying = withoutIgnored(toFieldSet(applied, type, false), ignored);
  managed.set(self, { ...entryBase, ...(previous?.time === undefined ? {} : { time: previous.time }), fields: applying });
  const result = (pruneOmitted(merged, managed, previous?.fields, type) ?? {}) as JsonObject;

  const change = transferOwnership(current, result, type, managed, self, options.force, ignored);
  if (!options.force && change.conflicts.length > 0) {
    const conflicts = [...change.conflicts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).flatMap(({ entry, fields }) =>
      fields.paths().map((path) => ({ manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, ...(entry.subresource === undefined ? {} : { subresource: entry.subresource }), field: pathToString(path) })));
    return { kind: 'conflict', conflicts };
  }

  const changed = !jsonEqual(current, result);
  const mine = withoutStrippedFields(applying);
  if (mine.isEmpty()) managed.delete(self);
  else managed.set(self, { ...managed.get(self)!, fields: mine, ...(changed ? { time: options.now } : {}) });
  let object = changed ? result : current;
  if (entryBase.manager === 'kubectl') object = withLastApplied(object, applied);
  return { kind: 'applied', object: withManagedFields(object, encodeManagedFields(managed)) };
}

function decodeLiveManagedFields(live: JsonObject | undefined): ManagedFields {
  const metadata = live?.metadata;
  try {
    return decodeManagedFields(isJsonObject(metadata) ? metadata.managedFields : undefined);
  } catch (err) {
    throw new PatchError(500, '', `failed to decode managed fields: ${(err as Error).message}`);
  }
}

/** kube's first apply to an untracked object: its fields so far go to "before-first-apply". */
function recordExistingFields(current: JsonObject, managed: ManagedFields, type: FieldType, apiVersion: string, now: string, ignored: readonly FieldNamePath[]): void {
  const { added, modified } = transferOwnership({}, current, type, managed, '', true, ignored).comparison;
  const fields = withoutStrippedFields(added.union(modified));
  if (fields.isEmpty()) return;
  const entry = { manager: 'before-first-apply', operation: 'Update' as const, apiVersion, time: now, fields };
  managed.set(managerIdentifier(entry), entry);
}

/**
 * Removes what the manager applied last time and omits now, except fields some manager
 * (the applier included) still owns, and except what was never there to remove.
 */
function pruneOmitted(merged: JsonObject, managed: ManagedFields, lastApplied: FieldSet | undefined, type: FieldType): JsonValue | undefined {
  if (lastApplied === undefined || lastApplied.isEmpty()) return merged;
  const named = (set: FieldSet): FieldSet => set.withNamedFieldsAsMembers(type);
  const fieldsOf = (value: JsonValue | undefined): FieldSet => named(value === undefined ? new FieldSet() : toFieldSet(value, type));
  const last = named(lastApplied);
  const mergedFields = fieldsOf(merged);
  const firstCut = removeItems(merged, last, type);
  let owned = new FieldSet();
  for (const entry of managed.values()) owned = owned.union(entry.fields);
  const keptOwned = removeItems(merged, mergedFields.difference(fieldsOf(firstCut).union(named(owned))), type);
  return removeItems(merged, mergedFields.difference(fieldsOf(keptOwned)).intersection(last), type);
}

function subresourceOf(options: ApplyOptions): { subresource?: string } {
  return options.subresource === undefined || options.subresource === '' ? {} : { subresource: options.subresource };
}

/**
 * kube keeps kubectl's client-side apply annotation in step when kubectl applies server-side
 * to an object that has it: the annotation becomes the applied object, keys sorted.
 */
function withLastApplied(object: JsonObject, applied: JsonObject): JsonObject {
  const metadata = isJsonObject(object.metadata) ? object.metadata : undefined;
  const annotations = isJsonObject(metadata?.annotations) ? metadata.annotations : undefined;
  const current = annotations?.[lastAppliedAnnotation];
  if (metadata === undefined || annotations === undefined || typeof current !== 'string' || current === '') return object;
  const appliedMeta = isJsonObject(applied.metadata) ? applied.metadata : {};
  const appliedAnnotations = isJsonObject(appliedMeta.annotations) ? { ...appliedMeta.annotations } : undefined;
  if (appliedAnnotations !== undefined) delete appliedAnnotations[lastAppliedAnnotation];
  const config = { ...applied, metadata: { ...appliedMeta, ...(appliedAnnotations === undefined ? {} : { annotations: appliedAnnotations }) } };
  const encoded = `${JSON.stringify(sortKeys(config))}\n`;
  return { ...object, metadata: { ...metadata, annotations: { ...annotations, [lastAppliedAnnotation]: encoded } } };
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) setMember(out, key, sortKeys(value[key]!));
  return out;
}
