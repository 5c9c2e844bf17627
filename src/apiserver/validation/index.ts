/**
 * Validation of built-in kinds and of object metadata, worded as kube-apiserver words it.
 * Pure functions returning FieldErrors; the server turns them into 422 Invalid Statuses.
 */
export { validateBuiltin, maxDataSizeBytes, type BuiltinResource } from './builtin-kinds.ts';
export { validateObjectMeta, validateObjectMetaUpdate, validateLabels, validateAnnotations, totalAnnotationSizeLimitBytes } from './object-meta.ts';
export {
  isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue, isConfigMapKey,
  nameIsDNSSubdomain, nameIsDNSLabel, nameIsDNS1035Label, type NameValidator,
} from './names.ts';
export { validatePodSpec, validatePodSpecUpdate } from './pod-spec.ts';
export { pruneBuiltinUnknownFields } from './builtin-fields.ts';
