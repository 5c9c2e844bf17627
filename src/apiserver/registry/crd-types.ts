/**
 * CustomResourceDefinitions: their defaults and essential checks, the resource types they
 * serve, and the names they may claim.
 */
import type { FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { fieldPath } from './builtin-types.ts';
import { allVerbs, type ResourceType } from './resource-type.ts';

/** The collection CRDs are stored in. */
export const crdStorage = 'customresourcedefinitions.apiextensions.k8s.io';
/** The finalizer through which a deleted CRD's objects are deleted before it goes. */
export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

function obj(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function versionsOf(crd: JsonObject): JsonObject[] {
  const versions = obj(crd.spec).versions;
  return Array.isArray(versions) ? versions.filter(isJsonObject) : [];
}

/** The version objects are stored in (the one marked `storage: true`). */
export function storageVersionOf(crd: JsonObject): string | undefined {
  return str(versionsOf(crd).find((v) => v.storage === true)?.name) || undefined;
}

/** Fills the defaults kube-apiserver fills: singular, listKind, conversion, storedVersions. */
export function defaultCrd(crd: JsonObject): JsonObject {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const kind = str(names.kind);
  const defaultedNames: JsonObject = { ...names };
  if (str(names.singular) === '' && kind !== '') defaultedNames.singular = kind.toLowerCase();
  if (str(names.listKind) === '' && kind !== '') defaultedNames.listKind = `${kind}List`;
  const defaultedSpec: JsonObject = { ...spec, names: defaultedNames };
  if (!isJsonObject(spec.conversion)) defaultedSpec.conversion = { strategy: 'None' };
  const status = obj(crd.status);
  const stored = strings(status.storedVersions);
  const storage = storageVersionOf(crd);
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  return { ...crd, spec: defaultedSpec, status: { ...status, storedVersions: stored } };
}

/** The checks without which the CRD could not be served; full schema validation lives in the schema hooks. */
export function crdValidationErrors(crd: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const plural = str(names.plural);
  const name = str(obj(crd.metadata).name);
  if (group === '') errors.push({ type: 'FieldValueRequired', field: 'spec.group' });
  else if (!group.includes('.')) errors.push({ type: 'FieldValueInvalid', field: 'spec.group', value: group, detail: 'should be a domain with at least one dot' });
  if (plural === '') errors.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
  if (str(names.kind) === '') errors.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
  if (group !== '' && plural !== '' && name !== `${plural}.${group}`) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: 'must be spec.names.plural+"."+spec.group' });
  }
  const scope = str(spec.scope);
  if (scope !== 'Namespaced' && scope !== 'Cluster') {
    errors.push(scope === ''
      ? { type: 'FieldValueRequired', field: 'spec.scope' }
      : { type: 'FieldValueNotSupported', field: 'spec.scope', value: scope, detail: 'supported values: "Cluster", "Namespaced"' });
  }
  const versions = versionsOf(crd);
  if (versions.length === 0) errors.push({ type: 'FieldValueRequired', field: 'spec.versions', detail: 'must have exactly one version marked as storage version' });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.versions', value: versions.map((v) => str(v.name)), detail: 'must have exactly one version marked as storage version' });
  }
  versions.forEach((v, i) => {
    if (str(v.name) === '') errors.push({ type: 'FieldValueRequired', field: `spec.versions[${i}].name` });
    if (!isJsonObject(obj(v.schema).openAPIV3Schema)) {
      errors.push({ type: 'FieldValueRequired', field: `spec.versions[${i}].schema.openAPIV3Schema`, detail: 'schemas are required' });
    }
  });
  return errors;
}

/** Kube's version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return [3, 0, 0, v];
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return ra[3] < rb[3] ? -1 : ra[3] > rb[3] ? 1 : 0;
}

/** The resource types a CRD serves: one per served version. */
export function typesFromCrd(crd: JsonObject): ResourceType[] {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const plural = str(names.plural);
  const kind = str(names.kind);
  const storage = storageVersionOf(crd) ?? '';
  const served = versionsOf(crd).filter((v) => v.served === true).sort((a, b) => compareKubeVersions(str(a.name), str(b.name)));
  const meta = obj(crd.metadata);
  return served.map((v, i): ResourceType => {
    const version = str(v.name);
    const status = isJsonObject(obj(v.subresources).status);
    const scale = obj(obj(v.subresources).scale);
    const selectable = Array.isArray(v.selectableFields) ? v.selectableFields.filter(isJsonObject) : [];
    return {
      group,
      version,
      resource: plural,
      kind,
      listKind: str(names.listKind) || `${kind}List`,
      singular: str(names.singular) || kind.toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      verbs: allVerbs,
      statusSubresource: status,
      ...(str(scale.specReplicasPath) === '' ? {} : {
        scale: {
          specReplicasPath: str(scale.specReplicasPath),
          statusReplicasPath: str(scale.statusReplicasPath),
          ...(str(scale.labelSelectorPath) === '' ? {} : { labelSelectorPath: str(scale.labelSelectorPath) }),
          defaultReplicas: 0,
        },
      }),
      extraSubresources: [],
      storage: `${plural}.${group}`,
      generation: status ? 'spec' : 'nonMetadata',
      allowCreateOnUpdate: false,
      returnDeletedObject: true,
      preferred: i === 0,
      fieldLabels: Object.fromEntries(selectable.map((f) => {
        const path = str(f.jsonPath).replace(/^\./, '');
        return [path, (o: JsonObject) => fieldPath(o, path)];
      })),
      conversion: {
        toStorage: (o) => ({ ...o, apiVersion: `${group}/${storage}` }),
        fromStorage: (o) => ({ ...o, apiVersion: `${group}/${version}` }),
      },
      crd: { name: str(meta.name), uid: str(meta.uid), definition: crd, version: v },
    };
  });
}

/** Names of `crd` that another established CRD of the same group already claims. */
export function conflictingNames(crd: JsonObject, others: readonly JsonObject[]): { plural: string[]; kind: string[] } {
  const names = obj(obj(crd.spec).names);
  const group = str(obj(crd.spec).group);
  const claimed = { resource: new Set<string>(), kind: new Set<string>() };
  for (const other of others) {
    if (str(obj(other.spec).group) !== group || str(obj(other.metadata).name) === str(obj(crd.metadata).name)) continue;
    const accepted = obj(obj(other.status).acceptedNames);
    for (const n of [accepted.plural, accepted.singular, ...strings(accepted.shortNames)]) if (str(n) !== '') claimed.resource.add(str(n));
    for (const n of [accepted.kind, accepted.listKind]) if (str(n) !== '') claimed.kind.add(str(n));
  }
  const resourceNames = [str(names.plural), str(names.singular), ...strings(names.shortNames)].filter((n) => n !== '');
  return {
    plural: resourceNames.filter((n) => claimed.resource.has(n)),
    kind: [str(names.kind), str(names.listKind)].filter((n) => n !== '' && claimed.kind.has(n)),
  };
}
