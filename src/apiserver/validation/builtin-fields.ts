import type { JsonObject } from '../json.ts';
import type { JSONSchemaProps } from '../schema/json-schema-props.ts';
import { pruneUnknownFields } from '../schema/prune.ts';
import type { BuiltinResource } from './builtin-kinds.ts';

/**
 * The fields of the built-in kinds, as far as this server checks them, written as structural
 * schemas so the custom resource pruning applies to them. kube-apiserver decodes built-ins
 * into typed structs, so an unknown field is always dropped, and reported as
 * `unknown field "spec.foo"` under fieldValidation=Strict|Warn. Fields are listed from the
 * Kubernetes API reference (v1.32) down to a depth where typos are common (a kind's top level,
 * a ConfigMap's data, a PodSpec, a container, a service port); below that, `any` keeps
 * everything, so a field this table forgot is never refused.
 */
const any: JSONSchemaProps = { 'x-kubernetes-preserve-unknown-fields': true };

function fields(names: readonly string[], known: Record<string, JSONSchemaProps> = {}): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {};
  for (const n of names) properties[n] = known[n] ?? any;
  return { type: 'object', properties };
}

const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };

const container = fields([
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
  'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
  'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
], {
  ports: { type: 'array', items: fields(['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']) },
});

const podSpec = fields([
  'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds',
  'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken',
  'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname',
  'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig',
  'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints',
  'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources',
], {
  containers: { type: 'array', items: container },
  initContainers: { type: 'array', items: container },
  nodeSelector: stringMap,
});

const shapes: Record<string, JSONSchemaProps> = {
  'configmaps': fields(['data', 'binaryData', 'immutable'], { data: stringMap, binaryData: stringMap }),
  'secrets': fields(['data', 'stringData', 'type', 'immutable'], { data: stringMap, stringData: stringMap }),
  'serviceaccounts': fields(['secrets', 'imagePullSecrets', 'automountServiceAccountToken']),
  'namespaces': fields(['spec', 'status'], { spec: fields(['finalizers']) }),
  'events': fields([
    'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series',
    'action', 'related', 'reportingComponent', 'reportingInstance',
  ]),
  'pods': fields(['spec', 'status'], { spec: podSpec }),
  'services': fields(['spec', 'status'], {
    spec: fields([
      'ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
      'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
      'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
      'internalTrafficPolicy', 'trafficDistribution',
    ], {
      ports: { type: 'array', items: fields(['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort']) },
      selector: stringMap,
    }),
  }),
  'apps/deployments': fields(['spec', 'status'], {
    spec: fields(['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'], {
      template: fields(['metadata', 'spec'], { spec: podSpec }),
    }),
  }),
  'coordination.k8s.io/leases': fields(['spec'], {
    spec: fields(['holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions', 'strategy', 'preferredHolder']),
  }),
};

/**
 * Removes, in place, the fields of a built-in object that its kind does not have, and returns
 * their paths, sorted, for fieldValidation (see `unknownFieldOutcome`). Kinds without a table
 * here are left untouched.
 */
export function pruneBuiltinUnknownFields(resource: BuiltinResource, object: JsonObject): string[] {
  const shape = shapes[resource.group === '' ? resource.resource : `${resource.group}/${resource.resource}`];
  return shape === undefined ? [] : pruneUnknownFields(object, shape);
}
