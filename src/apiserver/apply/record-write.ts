import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import type { TypeInfo } from '../type-info/index.ts';
import type { FieldSet } from './field-set.ts';
import { decodeManagedFields, encodeManagedFields, managerIdentifier, type ManagedFields } from './managed-fields.ts';
import { transferOwnership, withManagedFields, withoutIgnored, withoutManagedFields, withoutStrippedFields, type FieldNamePath } from './ownership.ts';

export interface WriteOptions {
  /**
   * `?fieldManager=`, or what kube derives when it is absent: the User-Agent's first segment,
   * the binary name (`kubectl-edit/v1.31.0 (linux/amd64) kubernetes/abc` gives `kubectl-edit`,
   * `kubectl-client-side-apply`, `kube-controller-manager`). Deriving it is the caller's job.
   */
  fieldManager: string;
  operation: 'Update';
  /** The time to record, RFC 3339 with seconds. */
  now: string;
  typeInfo: TypeInfo;
  subresource?: string;
  /** Fields this request resets and so nobody gains by it (see `ApplyOptions.ignoredFields`). */
  ignoredFields?: readonly FieldNamePath[];
}

/** kube keeps at most this many Update managers; older ones merge into "ancient-changes". */
export const maxUpdateManagers = 10;

/**
 * The managedFields bookkeeping kube-apiserver does on create, update and non-apply patch:
 * returns `updated` with `metadata.managedFields` recording that `fieldManager` (operation
 * Update) now owns every field it added or changed, and that others lost those and what was
 * removed. `previous` undefined is a create.
 *
 * Like kube-apiserver: managedFields sent in the request replace the stored ones (an empty
 * list resets them) unless the write is to a subresource; an existing object without
 * managedFields stays untracked; nothing is recorded for fields nobody owns (identity,
 * resourceVersion and such); Update managers beyond ten are merged, oldest first, into
 * "ancient-changes".
 */
export function recordWrite(previous: JsonObject | undefined, updated: JsonObject, options: WriteOptions): JsonObject {
  const type = options.typeInfo.root;
  const ignored = options.ignoredFields ?? [];
  const managed = startingManagedFields(previous, updated, options.subresource);
  const after = withoutManagedFields(updated);
  if (managed.size === 0 && previous !== undefined) return after;
  const before = previous === undefined ? {} : withoutManagedFields(previous);

  const self = 'current-operation';
  const { comparison } = transferOwnership(before, after, type, managed, self, true, ignored);
  const touched = withoutStrippedFields(withoutIgnored(comparison.modified.union(comparison.added), ignored));
  if (!touched.isEmpty()) {
    const apiVersion = typeof updated.apiVersion === 'string' ? updated.apiVersion : '';
    const entry = { manager: options.fieldManager === '' ? 'unknown' : options.fieldManager, operation: options.operation, apiVersion, ...subresourceOf(options.subresource) };
    const id = managerIdentifier(entry);
    const earlier = managed.get(id);
    managed.set(id, { ...entry, time: options.now, fields: earlier === undefined ? touched : touched.union(earlier.fields) });
  }
  capUpdateManagers(managed);
  return withManagedFields(after, encodeManagedFields(managed));
}

/** Where the managedFields to update come from: the request's own, unless absent, invalid or a subresource write. */
function startingManagedFields(previous: JsonObject | undefined, updated: JsonObject, subresource: string | undefined): ManagedFields {
  const live = decodeOrEmpty(managedFieldsOf(previous));
  if (subresource !== undefined && subresource !== '') return live;
  const sent = managedFieldsOf(updated);
  if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && isJsonObject(sent[0]) && Object.keys(sent[0]).length === 0))) return new Map();
  const decoded = decodeOrEmpty(sent);
  return decoded.size > 0 ? decoded : live;
}

function managedFieldsOf(object: JsonObject | undefined): JsonValue | undefined {
  const metadata = object?.metadata;
  return isJsonObject(metadata) ? metadata.managedFields : undefined;
}

function decodeOrEmpty(entries: JsonValue | undefined): ManagedFields {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

/** Merges the oldest Update managers, per apiVersion, into one "ancient-changes" entry. */
function capUpdateManagers(managed: ManagedFields): void {
  const updaters = [...managed].filter(([, entry]) => entry.operation === 'Update');
  if (updaters.length <= maxUpdateManagers) return;
  const seconds = (time: string | undefined): number => Math.floor((time === undefined ? 0 : Date.parse(time) || 0) / 1000);
  updaters.sort(([idA, a], [idB, b]) => seconds(a.time) - seconds(b.time) || (idA < idB ? -1 : idA > idB ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, entry] of updaters) {
    if (count <= maxUpdateManagers) break;
    const bucketEntry = { manager: 'ancient-changes', operation: 'Update' as const, apiVersion: entry.apiVersion };
    const bucket = managerIdentifier(bucketEntry);
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    if (!managed.has(bucket)) {
      const firstEntry = managed.get(first)!;
      managed.delete(first);
      managed.set(bucket, { ...bucketEntry, ...(firstEntry.time === undefined ? {} : { time: firstEntry.time }), fields: firstEntry.fields });
    }
    const bucketFields: FieldSet = managed.get(bucket)!.fields;
    managed.delete(id);
    managed.set(bucket, { ...bucketEntry, ...(entry.time === undefined ? {} : { time: entry.time }), fields: entry.fields.union(bucketFields) });
    count--;
  }
}

function subresourceOf(subresource: string | undefined): { subresource?: string } {
  return subresource === undefined || subresource === '' ? {} : { subresource };
}
