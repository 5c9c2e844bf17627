/**
 * kube's dropTypeDependentFields (pkg/registry/core/service/storage/storage.go): an update
 * that changes a Service's type clears what only the old type used, when the client left it
 * as it was (so the server probably filled it in). That is what lets `kubectl apply` turn a
 * NodePort Service into a ClusterIP one, or any Service into an ExternalName one, without the
 * client naming the allocated fields. A field the client changed is kept, and validation
 * judges it.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { jsonEqual } from '../json-members.ts';

const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const same = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => jsonEqual(a ?? null, b ?? null);

const type = (spec: JsonObject): string => (typeof spec.type === 'string' ? spec.type : 'ClusterIP');
const needsClusterIP = (spec: JsonObject): boolean => type(spec) !== 'ExternalName';
const needsNodePort = (spec: JsonObject): boolean => type(spec) === 'NodePort' || type(spec) === 'LoadBalancer';
const needsHealthCheckNodePort = (spec: JsonObject): boolean => type(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
const externallyAccessible = (spec: JsonObject): boolean =>
  needsNodePort(spec) || (type(spec) === 'ClusterIP' && list(spec.externalIPs).length > 0);

function nodePorts(spec: JsonObject): Set<JsonValue | undefined> {
  return new Set(list(spec.ports).map((p) => obj(p).nodePort).filter((n) => typeof n === 'number' && n !== 0));
}

/** Clears, in `spec` (the update's, changed in place), what the old type needed and the client kept. */
export function dropTypeDependentFields(spec: JsonObject, oldSpec: JsonObject): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (same(spec.clusterIP, oldSpec.clusterIP) && same(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  // Ports may be added, removed or changed, as long as no node port is new.
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    const old = nodePorts(oldSpec);
    if ([...nodePorts(spec)].every((n) => old.has(n))) for (const p of list(spec.ports)) if (isJsonObject(p)) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && same(spec.healthCheckNodePort, oldSpec.healthCheckNodePort)) {
    delete spec.healthCheckNodePort;
  }
  if (type(oldSpec) === 'LoadBalancer' && type(spec) !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && same(spec.allocateLoadBalancerNodePorts, oldSpec.allocateLoadBalancerNodePorts)) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (same(spec.loadBalancerClass, oldSpec.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && same(spec.externalTrafficPolicy, oldSpec.externalTrafficPolicy)) {
    delete spec.externalTrafficPolicy;
  }
}
