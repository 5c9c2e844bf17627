/**
 * Server-side apply and managedFields bookkeeping, as pure functions of JSON objects, matching
 * kube-apiserver's field manager (structured-merge-diff). Also re-exports the type metadata
 * both apply and strategic merge patch read.
 */
export { serverSideApply, type ApplyOptions, type ApplyResult } from './server-side-apply.ts';
export { recordWrite, maxUpdateManagers, type WriteOptions } from './record-write.ts';
export { applyConflictMessage, applyConflictStatus, type ApplyConflict } from './apply-conflict.ts';
export type { FieldNamePath } from './ownership.ts';
export { builtinTypeInfo, schemaTypeInfo, type GroupVersionKind, type TypeInfo } from '../type-info/index.ts';
