import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { FieldSet } from './field-set.ts';

/** Who wrote which fields: one `metadata.managedFields` entry, its fields decoded. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  /** RFC 3339, seconds precision; absent when kube would leave it out (an apply that changed nothing). */
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/** Entries by manager identifier: kube keys managers by name, operation, subresource and (for Update) apiVersion. */
export type ManagedFields = Map<string, ManagerEntry>;

/** The identity of a manager, as kube builds it: the entry's JSON without fields and time (and apiVersion for Apply). */
export function managerIdentifier(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: entry.manager, operation: entry.operation };
  if (entry.operation === 'Update' && entry.apiVersion !== '') id.apiVersion = entry.apiVersion;
  if (entry.subresource !== undefined && entry.subresource !== '') id.subresource = entry.subresource;
  return JSON.stringify(id);
}

/**
 * Reads `metadata.managedFields`.
 * @throws Error naming the first invalid entry (operation not Apply or Update, no apiVersion,
 *   fieldsType not `FieldsV1`), as kube refuses to decode it.
 */
export function decodeManagedFields(entries: JsonValue | undefined): ManagedFields {
  const managed: ManagedFields = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const entry = isJsonObject(raw) ? raw : {};
    const { manager, operation, apiVersion, time, fieldsType, subresource } = entry;
    if (operation !== 'Apply' && operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (typeof apiVersion !== 'string' || apiVersion === '') throw new Error('apiVersion must not be empty');
    if (fieldsType === undefined || fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`);
    const decoded: ManagerEntry = {
      manager: typeof manager === 'string' ? manager : '',
      operation,
      apiVersion,
      ...(typeof time === 'string' ? { time } : {}),
      ...(typeof subresource === 'string' && subresource !== '' ? { subresource } : {}),
      fields: FieldSet.fromFieldsV1(entry.fieldsV1),
    };
    managed.set(managerIdentifier(decoded), decoded);
  });
  return managed;
}

/** `metadata.managedFields` as kube writes it (Apply before Update, then oldest first), or undefined when empty. */
export function encodeManagedFields(managed: ManagedFields): JsonObject[] | undefined {
  const entries = [...managed.values()].filter((entry) => !entry.fields.isEmpty());
  if (entries.length === 0) return undefined;
  entries.sort((p, q) => compareText(p.operation, q.operation) || seconds(p.time) - seconds(q.time)
    || compareText(p.manager, q.manager) || compareText(p.apiVersion, q.apiVersion) || compareText(p.subresource ?? '', q.subresource ?? ''));
  return entries.map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    ...(entry.time === undefined ? {} : { time: entry.time }),
    fieldsType: 'FieldsV1',
    fieldsV1: entry.fields.toFieldsV1(),
    ...(entry.subresource === undefined ? {} : { subresource: entry.subresource }),
  }));
}

/** A manager as kube names it in conflicts: `"kubectl-client-side-apply" using v1`, `"ctl" with subresource "status"`. */
export function describeManager(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource !== undefined && entry.subresource !== '') text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${text} using ${entry.apiVersion}` : text;
}

function seconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
