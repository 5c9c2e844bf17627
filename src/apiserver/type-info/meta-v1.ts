/**
 * Patch and apply metadata of meta/v1 types, transcribed from the Kubernetes API reference
 * (OpenAPI `x-kubernetes-*` extensions of io.k8s.apimachinery.pkg.apis.meta.v1).
 *
 * Every table in this folder lists only what differs from a built-in's defaults: a list not
 * listed is atomic and replaced whole by strategic merge patch, an object not listed is a
 * granular struct.
 */
import { list, map, mergeList, scalar, struct } from './field-type.ts';

/** OwnerReference and LabelSelector are atomic structs (`x-kubernetes-map-type: atomic`). */
export const ownerReference = struct({}, { atomic: true });
export const labelSelector = struct({}, { atomic: true });

export const objectMeta = struct({
  labels: map(),
  annotations: map(),
  ownerReferences: mergeList(ownerReference, 'uid'),
  finalizers: list(scalar, { patchStrategy: 'merge', listType: 'set' }),
});
