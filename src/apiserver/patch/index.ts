/**
 * The PATCH algorithms of the embedded API server, as pure functions of JSON values (no HTTP,
 * no storage): JSON merge patch, JSON patch and strategic merge patch, each behaving and failing
 * as kube-apiserver does. Server-side apply lives in `../apply/`.
 */
export { applyMergePatch } from './merge-patch.ts';
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.ts';
export { PatchError, UnsupportedPatchTypeError, customResourcePatchTypes, type PatchErrorReason } from './patch-error.ts';
export { applyStrategicMergePatch, supportsStrategicMergePatch } from './strategic-merge-patch.ts';
