/** Reading the metadata every Kubernetes object carries, and the comparisons writes rely on. */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';

/** The object's metadata (an empty object when absent or malformed). */
export function metadataOf(obj: JsonObject): JsonObject {
  return isJsonObject(obj.metadata) ? obj.metadata : {};
}

export function stringField(obj: JsonObject, field: string): string | undefined {
  const v = obj[field];
  return typeof v === 'string' ? v : undefined;
}

export function nameOf(obj: JsonObject): string {
  return stringField(metadataOf(obj), 'name') ?? '';
}

export function namespaceOf(obj: JsonObject): string {
  return stringField(metadataOf(obj), 'namespace') ?? '';
}

export function uidOf(obj: JsonObject): string {
  return stringField(metadataOf(obj), 'uid') ?? '';
}

export function finalizersOf(obj: JsonObject): string[] {
  const f = metadataOf(obj).finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export function labelsOf(obj: JsonObject): Record<string, string> | undefined {
  const l = metadataOf(obj).labels;
  return isJsonObject(l) ? (l as Record<string, string>) : undefined;
}

export function isDeleting(obj: JsonObject): boolean {
  return typeof metadataOf(obj).deletionTimestamp === 'string';
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerReferencesOf(obj: JsonObject): OwnerReference[] {
  const refs = metadataOf(obj).ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r): r is JsonObject => isJsonObject(r) && typeof r.uid === 'string') as unknown as OwnerReference[];
}

/** A copy of `obj` with metadata fields replaced (undefined removes a field). */
export function withMetadata(obj: JsonObject, changes: Record<string, JsonValue | undefined>): JsonObject {
  const metadata: JsonObject = { ...metadataOf(obj) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete metadata[k];
    else metadata[k] = v;
  }
  return { ...obj, metadata };
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
}

let lastSecond = Number.NaN;
let lastText = '';

/** RFC 3339 at second precision, as kube stamps creationTimestamp and deletionTimestamp. */
export function timestamp(date: Date): string {
  // Every write stamps at least one time; most writes of a busy second share the text.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = `${date.toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}
