import { childPath, forbidden, indexPath, invalid, keyPath, notSupported, required, tooLong, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { goLabelSelector, goStringMap } from '../go-format.ts';
import { isConfigMapKey, isDNS1123Label, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, type NameValidator } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { portNameErrors, portNumberErrors, validatePodSpec, validatePodSpecUpdate } from './pod-spec.ts';

/** kube-apiserver's limit on a ConfigMap's or Secret's data. */
export const maxDataSizeBytes = 1024 * 1024;

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

interface KindRules {
  namespaced: boolean;
  name: NameValidator;
  create?(o: JsonObject): FieldError[];
  update?(o: JsonObject, old: JsonObject): FieldError[];
}

const immutableWhenSet = 'field is immutable when `immutable` is set';

function dataKeys(o: JsonObject, fields: string[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of fields) {
    for (const key of Object.keys(obj(o[f]))) {
      for (const msg of isConfigMapKey(key)) errors.push(invalid(keyPath(f, key), key, msg));
    }
  }
  return errors;
}

function immutableData(o: JsonObject, old: JsonObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (o.immutable !== true) errors.push(forbidden('immutable', immutableWhenSet));
  for (const f of fields) if (JSON.stringify(sorted(o[f])) !== JSON.stringify(sorted(old[f]))) errors.push(forbidden(f, immutableWhenSet));
  return errors;
}

function sorted(v: JsonValue | undefined): JsonValue | undefined {
  return isJsonObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v;
}

function configMapCreate(cm: JsonObject): FieldError[] {
  const errors = dataKeys(cm, ['data', 'binaryData']);
  const binary = obj(cm.binaryData);
  let size = 0;
  for (const [k, v] of Object.entries(obj(cm.data))) {
    if (k in binary) errors.push(invalid(keyPath('data', k), k, 'duplicate of key present in binaryData'));
    size += k.length + str(v).length;
  }
  for (const [k, v] of Object.entries(binary)) size += k.length + Math.floor((str(v).length * 3) / 4);
  if (size > maxDataSizeBytes) errors.push(tooLong('[]', maxDataSizeBytes));
  return errors;
}

const secretRequiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function secretCreate(s: JsonObject): FieldError[] {
  const errors = dataKeys(s, ['data']);
  const data = obj(s.data);
  const type = str(s.type) || 'Opaque';
  for (const key of secretRequiredKeys[type] ?? []) if (!(key in data)) errors.push(required(keyPath('data', key), ''));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) errors.push(required(keyPath('data', 'username'), ''));
  if (type === 'kubernetes.io/service-account-token' && str(obj(obj(s.metadata).annotations)['kubernetes.io/service-account.name']) === '') {
    errors.push(required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name'), ''));
  }
  const size = Object.entries(data).reduce((n, [k, v]) => n + k.length + Math.floor((str(v).length * 3) / 4), 0);
  if (size > maxDataSizeBytes) errors.push(tooLong('data', maxDataSizeBytes));
  return errors;
}

function secretUpdate(s: JsonObject, old: JsonObject): FieldError[] {
  const errors = secretCreate(s);
  const type = str(s.type) || 'Opaque';
  if (type !== (str(old.type) || 'Opaque')) errors.push(invalid('type', type, 'field is immutable'));
  return [...errors, ...immutableData(s, old, ['data'])];
}

function selectorMatches(selector: JsonObject, labels: JsonObject): boolean {
  const matchLabels = Object.entries(obj(selector.matchLabels)).every(([k, v]) => labels[k] === v);
  const exprs = (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).map(obj).every((e) => {
    const key = str(e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': return key in labels && values.includes(labels[key]!);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
  return matchLabels && exprs;
}

function deploymentCreate(d: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(d.spec);
  if (typeof spec.replicas === 'number' && spec.replicas < 0) errors.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const template = obj(spec.template);
  const labels = obj(obj(template.metadata).labels);
  if (!isJsonObject(spec.selector)) {
    errors.push(required('spec.selector', ''));
  } else {
    const empty = Object.keys(obj(spec.selector.matchLabels)).length === 0 && (!Array.isArray(spec.selector.matchExpressions) || spec.selector.matchExpressions.length === 0);
    if (empty) errors.push({ type: 'FieldValueInvalid', field: 'spec.selector', valueText: goLabelSelector(spec.selector), detail: 'empty selector is invalid for deployment' });
    else if (!selectorMatches(spec.selector, labels)) {
      errors.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', valueText: goStringMap(labels), detail: '`selector` does not match template `labels`' });
    }
  }
  errors.push(...validatePodSpec(template.spec, 'spec.template.spec', ['Always']));
  const strategy = str(obj(spec.strategy).type);
  if (strategy !== '' && strategy !== 'Recreate' && strategy !== 'RollingUpdate') errors.push(notSupported('spec.strategy.type', strategy, ['Recreate', 'RollingUpdate']));
  return errors;
}

function deploymentUpdate(d: JsonObject, old: JsonObject): FieldError[] {
  const errors = deploymentCreate(d);
  const selector = obj(d.spec).selector;
  if (JSON.stringify(selector) !== JSON.stringify(obj(old.spec).selector)) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.selector', valueText: goLabelSelector(selector), detail: 'field is immutable' });
  }
  return errors;
}

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function serviceCreate(svc: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(svc.spec);
  const type = spec.type === undefined ? 'ClusterIP' : str(spec.type);
  if (!serviceTypes.includes(type)) errors.push(notSupported('spec.type', spec.type, serviceTypes));
  const ports = Array.isArray(spec.ports) ? spec.ports.map(obj) : [];
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (str(spec.externalName) === '') errors.push(required('spec.externalName', ''));
  } else if (ports.length === 0 && !headless) {
    errors.push(required('spec.ports', ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = indexPath('spec.ports', i);
    const name = str(p.name);
    if (ports.length > 1 && name === '') errors.push(required(childPath(at, 'name'), ''));
    else if (name !== '') {
      for (const msg of isDNS1123Label(name)) errors.push(invalid(childPath(at, 'name'), name, msg));
      if (names.has(name)) errors.push({ type: 'FieldValueDuplicate', field: childPath(at, 'name'), value: name });
      names.add(name);
    }
    for (const msg of portNumberErrors(Number(p.port ?? 0))) errors.push(invalid(childPath(at, 'port'), p.port ?? 0, msg));
    if (p.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(str(p.protocol))) errors.push(notSupported(childPath(at, 'protocol'), p.protocol, ['SCTP', 'TCP', 'UDP']));
    if (typeof p.targetPort === 'number' && p.targetPort !== 0) for (const msg of portNumberErrors(p.targetPort)) errors.push(invalid(childPath(at, 'targetPort'), p.targetPort, msg));
    if (typeof p.targetPort === 'string') for (const msg of portNameErrors(p.targetPort)) errors.push(invalid(childPath(at, 'targetPort'), p.targetPort, msg));
  });
  return errors;
}

function serviceUpdate(svc: JsonObject, old: JsonObject): FieldError[] {
  const errors = serviceCreate(svc);
  const oldIP = str(obj(old.spec).clusterIP);
  const newIP = str(obj(svc.spec).clusterIP);
  if (oldIP !== '' && newIP !== '' && newIP !== oldIP && str(obj(old.spec).type) !== 'ExternalName') {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', valueText: `[]string{${JSON.stringify(newIP)}}`, detail: 'may not change once set' });
  }
  return errors;
}

function leaseCreate(l: JsonObject): FieldError[] {
  const spec = obj(l.spec);
  const errors: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) errors.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) errors.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errors;
}

function eventCreate(e: JsonObject): FieldError[] {
  const ns = str(obj(e.metadata).namespace);
  const involved = str(obj(e.involvedObject).namespace);
  return involved !== '' && ns !== '' && involved !== ns ? [invalid('involvedObject.namespace', involved, 'does not match event.namespace')] : [];
}

const kinds: Record<string, KindRules> = {
  'namespaces': { namespaced: false, name: nameIsDNSLabel },
  'configmaps': { namespaced: true, name: nameIsDNSSubdomain, create: configMapCreate, update: (o, old) => [...configMapCreate(o), ...immutableData(o, old, ['data', 'binaryData'])] },
  'secrets': { namespaced: true, name: nameIsDNSSubdomain, create: secretCreate, update: secretUpdate },
  'serviceaccounts': { namespaced: true, name: nameIsDNSSubdomain },
  'events': { namespaced: true, name: nameIsDNSSubdomain, create: eventCreate, update: eventCreate },
  'pods': { namespaced: true, name: nameIsDNSSubdomain, create: (p) => validatePodSpec(p.spec, 'spec'), update: (p, old) => validatePodSpecUpdate(p.spec, old.spec) },
  'services': { namespaced: true, name: nameIsDNS1035Label, create: serviceCreate, update: serviceUpdate },
  'apps/deployments': { namespaced: true, name: nameIsDNSSubdomain, create: deploymentCreate, update: deploymentUpdate },
  'coordination.k8s.io/leases': { namespaced: true, name: nameIsDNSSubdomain, create: leaseCreate, update: (l) => leaseCreate(l) },
  'apiextensions.k8s.io/customresourcedefinitions': { namespaced: false, name: nameIsDNSSubdomain },
};

/** A built-in resource, `group` '' for the core group. */
export interface BuiltinResource {
  group: string;
  resource: string;
}

function rulesFor(r: BuiltinResource): KindRules | undefined {
  return kinds[r.group === '' ? r.resource : `${r.group}/${r.resource}`];
}

/**
 * kube-apiserver's validation of a built-in object on create (no `oldObject`) or update:
 * ObjectMeta (the kind's name rule: DNS-1123 subdomain for most, DNS-1123 label for
 * namespaces, DNS-1035 label for services; namespace present exactly for namespaced kinds),
 * then the kind's own rules: required fields (pod containers with name and image, a
 * deployment's selector matching its template, service ports), immutable fields
 * (`immutable: true` ConfigMaps and Secrets, a Secret's type, a Deployment's selector, a
 * Service's clusterIP, most of a Pod's spec). Unknown resources get ObjectMeta checks only
 * when `namespaced` is given, nothing otherwise. Run it after the server's defaulting.
 */
export function validateBuiltin(resource: BuiltinResource, object: JsonObject, oldObject?: JsonObject): FieldError[] {
  const rules = rulesFor(resource);
  if (rules === undefined) return [];
  if (oldObject === undefined) {
    return [...validateObjectMeta(object.metadata, rules.namespaced, rules.name), ...(rules.create?.(object) ?? [])];
  }
  return [...validateObjectMetaUpdate(object.metadata, oldObject.metadata, { requireResourceVersion: false }), ...(rules.update?.(object, oldObject) ?? rules.create?.(object) ?? [])];
}
