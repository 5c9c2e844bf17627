import type { JsonObject } from '../json.ts';
import { describeManager } from './managed-fields.ts';

/** A field an apply would change that another manager owns. `field` is kube's path text, e.g. `.data.key`. */
export interface ApplyConflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  field: string;
}

/**
 * kube-apiserver's message for a failed apply, e.g.
 * `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key`;
 * several conflicts are listed per manager, managers in kube's order.
 */
export function applyConflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]!)}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const name = describeManager(conflict);
    byManager.set(name, [...(byManager.get(name) ?? []), conflict.field]);
  }
  const lines: string[] = [];
  for (const [name, fields] of byManager) {
    lines.push(`conflicts with ${name}:`, ...fields.map((field) => `- ${field}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The whole `Status` kube-apiserver answers with: 409 Conflict, one `FieldManagerConflict` cause per field. */
export function applyConflictStatus(conflicts: readonly ApplyConflict[]): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: applyConflictMessage(conflicts),
    reason: 'Conflict',
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c)}`, field: c.field })) },
    code: 409,
  };
}
