/**
 * Which objects a list or watch selects: a namespace, a label selector and a field selector,
 * parsed from the request's query once and matched against each served object.
 */
import { badRequest } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { labelsOf, nameOf, namespaceOf } from '../objects/object-meta.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { matchesFields, parseFieldSelector, type FieldSelector } from './field-selector.ts';
import { matchesLabels, parseLabelSelector, SelectorError, type LabelSelector } from './label-selector.ts';

export interface ObjectFilter {
  /** Undefined: every namespace. */
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
}

/** Reads labelSelector and fieldSelector; bad syntax or an unknown field label is a 400. */
export function parseObjectFilter(type: ResourceType, query: URLSearchParams, namespace: string | undefined): ObjectFilter {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    for (const f of fields) {
      if (f.field === 'metadata.name' || f.field === 'metadata.namespace' || f.field in type.fieldLabels) continue;
      throw badRequest(type.crd !== undefined
        ? `"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
        : `field label not supported: ${f.field}`);
    }
    return { namespace, labels, fields };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
}

/** True when the filter selects no subset (a list may then report remainingItemCount). */
export function selectsAll(filter: ObjectFilter): boolean {
  return filter.labels.length === 0 && filter.fields.length === 0;
}

/** Whether `obj` (served form) passes the selectors; the namespace is checked by the caller's key range. */
export function matchesSelectors(type: ResourceType, filter: ObjectFilter, obj: JsonObject): boolean {
  if (filter.labels.length > 0 && !matchesLabels(filter.labels, labelsOf(obj))) return false;
  if (filter.fields.length === 0) return true;
  return matchesFields(filter.fields, (field) => {
    if (field === 'metadata.name') return nameOf(obj);
    if (field === 'metadata.namespace') return namespaceOf(obj);
    return type.fieldLabels[field]?.(obj);
  });
}
