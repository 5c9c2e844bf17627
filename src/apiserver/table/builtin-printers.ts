import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { describe } from './descriptions.ts';
import { ageOf } from './human-duration.ts';
import { defaultPrinter, nameColumn } from './custom-resource-printer.ts';
import { podPrinter } from './pod-printer.ts';
import type { TableColumnDefinition, TablePrinter } from './table-printer.ts';

const col = (name: string, description: string, priority = 0, type = 'string'): TableColumnDefinition => ({ name, type, format: '', description, priority });
const age = col('Age', describe.creationTimestamp);

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}
function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
function num(v: JsonValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}
const nameOf = (o: JsonObject): string => str(obj(o.metadata).name);
const ageCell = (o: JsonObject, nowMs: number): string => ageOf(obj(o.metadata).creationTimestamp, nowMs);

/** `app=web,tier=front` (sorted), or `<none>`: how kubectl prints a label map. */
export function formatLabels(labels: JsonValue | undefined): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
}

/** A LabelSelector as kube prints it: requirements sorted by key (`app=web,env in (a,b),!gone`). */
export function formatSelector(selector: JsonValue | undefined): string {
  const s = obj(selector);
  const reqs: [string, string][] = Object.entries(obj(s.matchLabels)).map(([k, v]) => [k, `${k}=${str(v)}`]);
  for (const e of list(s.matchExpressions).map(obj)) {
    const key = str(e.key);
    const values = list(e.values).map(str).sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push([key, `${key} in (${values})`]); break;
      case 'NotIn': reqs.push([key, `${key} notin (${values})`]); break;
      case 'Exists': reqs.push([key, key]); break;
      case 'DoesNotExist': reqs.push([key, `!${key}`]); break;
    }
  }
  return reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r).join(',');
}

function containerCells(podSpec: JsonObject): [string, string] {
  const containers = list(podSpec.containers).map(obj);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

const deployment: TablePrinter = {
  columns: [
    nameColumn(), col('Ready', 'Number of the pod with ready state'), col('Up-to-date', describe.deploymentUpdated), col('Available', describe.deploymentAvailable), age,
    col('Containers', 'Names of each container in the template.', 1), col('Images', 'Images referenced by each container in the template.', 1), col('Selector', describe.deploymentSelector, 1),
  ],
  cells(d, nowMs) {
    const spec = obj(d.spec);
    const status = obj(d.status);
    const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const [names, images] = containerCells(obj(obj(spec.template).spec));
    return [nameOf(d), `${num(status.readyReplicas)}/${desired}`, num(status.updatedReplicas), num(status.availableReplicas), ageCell(d, nowMs), names, images, formatSelector(spec.selector)];
  },
};

function externalIP(svc: JsonObject): string {
  const spec = obj(svc.spec);
  const external = list(spec.externalIPs).map(str);
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = list(obj(obj(svc.status).loadBalancer).ingress).map(obj).map((i) => str(i.ip) || str(i.hostname)).filter((x) => x !== '');
      const all = [...ingress, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

const service: TablePrinter = {
  columns: [
    nameColumn(), col('Type', describe.serviceType), col('Cluster-IP', describe.clusterIP), col('External-IP', describe.externalIPs), col('Port(s)', describe.servicePorts), age,
    col('Selector', describe.serviceSelector, 1),
  ],
  cells(svc, nowMs) {
    const spec = obj(svc.spec);
    const clusterIPs = list(spec.clusterIPs).map(str);
    const internal = clusterIPs[0] ?? (str(spec.clusterIP) || '<none>');
    const ports = list(spec.ports).map(obj).map((p) => {
      const protocol = str(p.protocol) || 'TCP';
      return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${protocol}` : `${num(p.port)}/${protocol}`;
    });
    return [nameOf(svc), str(spec.type) || 'ClusterIP', internal, externalIP(svc), ports.length > 0 ? ports.join(',') : '<none>', ageCell(svc, nowMs), formatLabels(spec.selector)];
  },
};

const configMap: TablePrinter = {
  columns: [nameColumn(), col('Data', describe.configMapData), age],
  cells: (cm, nowMs) => [nameOf(cm), Object.keys(obj(cm.data)).length + Object.keys(obj(cm.binaryData)).length, ageCell(cm, nowMs)],
};

const secret: TablePrinter = {
  columns: [nameColumn(), col('Type', describe.secretType), col('Data', describe.secretData), age],
  cells: (s, nowMs) => [nameOf(s), str(s.type) || 'Opaque', Object.keys(obj(s.data)).length, ageCell(s, nowMs)],
};

const namespace: TablePrinter = {
  columns: [nameColumn(), col('Status', describe.namespaceStatus), age],
  cells: (ns, nowMs) => [nameOf(ns), str(obj(ns.status).phase), ageCell(ns, nowMs)],
};

const serviceAccount: TablePrinter = {
  columns: [nameColumn(), col('Secrets', describe.serviceAccountSecrets), age],
  cells: (sa, nowMs) => [nameOf(sa), list(sa.secrets).length, ageCell(sa, nowMs)],
};

const lease: TablePrinter = {
  columns: [nameColumn(), col('Holder', describe.leaseHolder), age],
  cells: (l, nowMs) => [nameOf(l), str(obj(l.spec).holderIdentity), ageCell(l, nowMs)],
};

const event: TablePrinter = {
  columns: [
    col('Last Seen', describe.eventLastSeen), col('Type', describe.eventType), col('Reason', describe.eventReason), col('Object', describe.eventObject),
    col('Subobject', describe.eventSubobject, 1), col('Source', describe.eventSource, 1), col('Message', describe.eventMessage),
    col('First Seen', describe.eventFirstSeen, 1), col('Count', describe.eventCount, 1), { ...nameColumn(), priority: 1 },
  ],
  cells(e, nowMs) {
    const firstTime = str(e.firstTimestamp) !== '' ? e.firstTimestamp : e.eventTime;
    const first = ageOf(firstTime, nowMs);
    let last = str(e.lastTimestamp) !== '' ? ageOf(e.lastTimestamp, nowMs) : first;
    let count = num(e.count);
    const series = obj(e.series);
    if (isJsonObject(e.series)) {
      last = ageOf(series.lastObservedTime, nowMs);
      count = num(series.count);
    } else if (count === 0) count = 1;
    const involved = obj(e.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) !== '' ? `${kind}/${str(involved.name)}` : kind;
    const source = obj(e.source);
    const component = str(source.component) || str(e.reportingComponent);
    const host = str(source.host) || str(e.reportingInstance);
    const sourceText = component === '' ? '<unknown>' : host === '' ? component : `${component}, ${host}`;
    return [last, str(e.type), str(e.reason), target, str(involved.fieldPath), sourceText, str(e.message).trim(), first, count, nameOf(e)];
  },
};

const printers: Record<string, () => TablePrinter> = {
  'pods': podPrinter,
  'apps/deployments': () => deployment,
  'services': () => service,
  'configmaps': () => configMap,
  'secrets': () => secret,
  'namespaces': () => namespace,
  'serviceaccounts': () => serviceAccount,
  'events': () => event,
  'coordination.k8s.io/leases': () => lease,
};

/**
 * The printer kube-apiserver uses for a built-in resource (`group` is '' for the core
 * group). Resources without a dedicated printer, such as customresourcedefinitions, get
 * NAME and CREATED AT. Custom resources use `customResourcePrinter` instead.
 */
export function builtinPrinter(group: string, resource: string): TablePrinter {
  return (printers[group === '' ? resource : `${group}/${resource}`] ?? defaultPrinter)();
}
