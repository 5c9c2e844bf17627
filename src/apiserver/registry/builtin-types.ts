/**
 * The built-in kinds the embedded server serves, stored without a schema: names, scopes, verbs,
 * short names and field selector labels as kube-apiserver 1.32 declares them.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { allVerbs, type ResourceType, type VersionConversion } from './resource-type.ts';

/** Reads a dotted path of an object as a field selector sees it (absent -> undefined). */
export function fieldPath(obj: JsonObject, path: string): string | undefined {
  let current: JsonValue | undefined = obj;
  for (const part of path.split('.')) {
    if (!isJsonObject(current)) return undefined;
    current = current[part];
  }
  if (current === undefined || current === null) return undefined;
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

function labels(...paths: string[]): Record<string, (obj: JsonObject) => string | undefined> {
  return Object.fromEntries(paths.map((p) => [p, (obj: JsonObject) => fieldPath(obj, p) ?? '']));
}

type BuiltinSpec = Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind'>;

function builtin(spec: BuiltinSpec): ResourceType {
  const qualified = spec.group === '' ? spec.resource : `${spec.resource}.${spec.group}`;
  return {
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    statusSubresource: false,
    extraSubresources: [],
    storage: qualified,
    generation: 'none',
    allowCreateOnUpdate: false,
    returnDeletedObject: false,
    preferred: true,
    fieldLabels: {},
    ...spec,
  };
}

// events.k8s.io/v1 Event is the same stored object as core/v1 Event with renamed fields.
const eventFieldRenames: readonly [core: string, events: string][] = [
  ['reportingComponent', 'reportingController'],
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function renameFields(obj: JsonObject, renames: readonly [string, string][], apiVersion: string): JsonObject {
  const out: JsonObject = { ...obj, apiVersion };
  for (const [from, to] of renames) {
    if (from in out) {
      out[to] = out[from]!;
      delete out[from];
    }
  }
  return out;
}

const eventsV1Conversion: VersionConversion = {
  toStorage: (obj) => renameFields(obj, eventFieldRenames.map(([c, e]) => [e, c]), 'v1'),
  fromStorage: (obj) => renameFields(obj, eventFieldRenames, 'events.k8s.io/v1'),
};

const namespaceVerbs = allVerbs.filter((v) => v !== 'deletecollection');

/** A fresh list of the built-in resource types (callers may keep and index it). */
export function builtinTypes(): ResourceType[] {
  return [
    builtin({
      group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
      verbs: namespaceVerbs, statusSubresource: true, extraSubresources: ['finalize'], returnDeletedObject: true,
      fieldLabels: labels('status.phase'),
    }),
    builtin({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
    builtin({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', fieldLabels: labels('type') }),
    builtin({ group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'] }),
    builtin({
      group: '', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], allowCreateOnUpdate: true,
      fieldLabels: labels(
        'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
        'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
        'reason', 'reportingComponent', 'source', 'type',
      ),
    }),
    builtin({
      group: '', version: 'v1', resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'],
      statusSubresource: true, returnDeletedObject: true,
      fieldLabels: labels(
        'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork',
        'status.phase', 'status.podIP', 'status.nominatedNodeName',
      ),
    }),
    builtin({
      group: '', version: 'v1', resource: 'services', kind: 'Service', shortNames: ['svc'], categories: ['all'],
      statusSubresource: true, returnDeletedObject: true, allowCreateOnUpdate: true,
    }),
    builtin({
      group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'],
      statusSubresource: true, generation: 'spec',
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector', defaultReplicas: 1 },
    }),
    builtin({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', allowCreateOnUpdate: true }),
    builtin({
      group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], allowCreateOnUpdate: true,
      storage: 'events', conversion: eventsV1Conversion,
      fieldLabels: labels('regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'reportingController', 'type'),
    }),
    builtin({
      group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition',
      namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], statusSubresource: true, generation: 'spec',
    }),
  ];
}
