import { childPath, forbidden, invalid, required, tooLong, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './names.ts';

/** kube-apiserver's limit on the summed size of an object's annotation keys and values. */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function stringMap(value: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) out[k] = str(v);
  return out;
}

/** `metadata.labels` keys (qualified names) and values, one error per broken rule. */
export function validateLabels(labels: JsonValue | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(stringMap(labels))) {
    for (const msg of isQualifiedName(k)) errors.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errors.push(invalid(path, v, msg));
  }
  return errors;
}

/** `metadata.annotations` keys (qualified names, any case) and their total size. */
export function validateAnnotations(annotations: JsonValue | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(stringMap(annotations))) {
    for (const msg of isQualifiedName(k.toLowerCase())) errors.push(invalid(path, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > totalAnnotationSizeLimitBytes) errors.push(tooLong(path, totalAnnotationSizeLimitBytes));
  return errors;
}

function validateOwnerReferences(refs: JsonValue | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(refs)) return errors;
  for (const ref of refs) {
    const r = isJsonObject(ref) ? ref : {};
    const checks: [string, string][] = [['apiVersion', 'version'], ['kind', 'kind'], ['name', 'name'], ['uid', 'uid']];
    for (const [fieldName, word] of checks) {
      if (str(r[fieldName]) === '') errors.push(invalid(childPath(path, fieldName), '', `${word} must not be empty`));
    }
  }
  return errors;
}

function validateFinalizers(finalizers: JsonValue | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errors;
  for (const f of finalizers) for (const msg of isQualifiedName(str(f))) errors.push(invalid(path, str(f), msg));
  return errors;
}

/**
 * ObjectMeta checks on create (apimachinery's ValidateObjectMetaAccessor): generateName and
 * name by the kind's rule, namespace present exactly when the kind is namespaced, labels,
 * annotations, owner references and finalizers. Call it after a generateName has been
 * turned into a name, as kube-apiserver does.
 */
export function validateObjectMeta(metadata: JsonValue | undefined, namespaced: boolean, nameRule: NameValidator, path = 'metadata'): FieldError[] {
  const meta: JsonObject = isJsonObject(metadata) ? metadata : {};
  const errors: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName !== '') {
    for (const msg of nameRule(generateName, true)) errors.push(invalid(childPath(path, 'generateName'), generateName, msg));
  }
  const name = str(meta.name);
  if (name === '') errors.push(required(childPath(path, 'name'), 'name or generateName is required'));
  else for (const msg of nameRule(name, false)) errors.push(invalid(childPath(path, 'name'), name, msg));
  const namespace = str(meta.namespace);
  if (namespaced) {
    if (namespace === '') errors.push(required(childPath(path, 'namespace'), ''));
    else for (const msg of isDNS1123Label(namespace)) errors.push(invalid(childPath(path, 'namespace'), namespace, msg));
  } else if (namespace !== '') {
    errors.push(forbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errors.push(invalid(childPath(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  errors.push(...validateFinalizers(meta.finalizers, childPath(path, 'finalizers')));
  return errors;
}

/**
 * ObjectMeta checks on update (ValidateObjectMetaAccessorUpdate): identity fields are
 * immutable, generation never decreases, no finalizer may be added once deletion started,
 * and (for kinds that refuse unconditional updates, such as custom resources) the update
 * must carry a resourceVersion.
 */
export function validateObjectMetaUpdate(metadata: JsonValue | undefined, oldMetadata: JsonValue | undefined, options: { requireResourceVersion: boolean }, path = 'metadata'): FieldError[] {
  const meta: JsonObject = isJsonObject(metadata) ? metadata : {};
  const old: JsonObject = isJsonObject(oldMetadata) ? oldMetadata : {};
  const errors: FieldError[] = [];
  if (old.deletionTimestamp !== undefined && old.deletionTimestamp !== null) {
    const before = new Set(Array.isArray(old.finalizers) ? old.finalizers.map(str) : []);
    const added = (Array.isArray(meta.finalizers) ? meta.finalizers.map(str) : []).filter((f) => !before.has(f));
    if (added.length > 0) {
      const list = `[]string{${[...new Set(added)].sort().map((f) => JSON.stringify(f)).join(', ')}}`;
      errors.push(forbidden(childPath(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`));
    }
  }
  if (options.requireResourceVersion && str(meta.resourceVersion) === '') {
    errors.push({ type: 'FieldValueInvalid', field: childPath(path, 'resourceVersion'), valueText: '0x0', detail: 'must be specified for an update' });
  }
  const generation = typeof meta.generation === 'number' ? meta.generation : 0;
  if (typeof old.generation === 'number' && generation < old.generation) {
    errors.push(invalid(childPath(path, 'generation'), generation, 'must not be decremented'));
  }
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    if (JSON.stringify(meta[key] ?? null) !== JSON.stringify(old[key] ?? null)) {
      errors.push(invalid(childPath(path, key), meta[key] ?? '', 'field is immutable'));
    }
  }
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  return errors;
}
