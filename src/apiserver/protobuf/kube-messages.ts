/**
 * The protobuf messages of the built-in kinds that kubectl's generators (`kubectl create
 * namespace|configmap|secret|serviceaccount|deployment|service`, `kubectl run`) and client-go's
 * leader election and event recorders send, transcribed from the Kubernetes API's published
 * field numbers. A field not listed here makes decoding fail loudly (415), never drop data.
 */

/** Wire-level meaning of a field's value. */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'time' | 'microTime' | 'quantity' | 'intOrString' | 'fieldsV1';

export interface FieldSpec {
  name: string;
  /** A scalar type, or the name of a message in `kubeMessages`. */
  type: ScalarType | string;
  repeated?: boolean;
  /** A map<string, type> (protobuf encodes it as repeated key/value entries). */
  map?: boolean;
  /** A Go pointer: a zero value on the wire was set on purpose and is kept. */
  pointer?: boolean;
}

type Spec = [name: string, type?: ScalarType | string, flag?: 'repeated' | 'map' | 'pointer'];

function message(fields: Record<number, Spec>): Record<number, FieldSpec> {
  const out: Record<number, FieldSpec> = {};
  for (const [n, [name, type = 'string', flag]] of Object.entries(fields)) {
    out[Number(n)] = { name, type, repeated: flag === 'repeated', map: flag === 'map', pointer: flag === 'pointer' };
  }
  return out;
}

export const kubeMessages: Readonly<Record<string, Record<number, FieldSpec>>> = {
  ObjectMeta: message({
    1: ['name'], 2: ['generateName'], 3: ['namespace'], 4: ['selfLink'], 5: ['uid'], 6: ['resourceVersion'],
    7: ['generation', 'int64'], 8: ['creationTimestamp', 'time'], 9: ['deletionTimestamp', 'time'],
    10: ['deletionGracePeriodSeconds', 'int64', 'pointer'], 11: ['labels', 'string', 'map'], 12: ['annotations', 'string', 'map'],
    13: ['ownerReferences', 'OwnerReference', 'repeated'], 14: ['finalizers', 'string', 'repeated'],
    17: ['managedFields', 'ManagedFieldsEntry', 'repeated'],
  }),
  OwnerReference: message({
    5: ['apiVersion'], 1: ['kind'], 3: ['name'], 4: ['uid'], 6: ['controller', 'bool', 'pointer'], 7: ['blockOwnerDeletion', 'bool', 'pointer'],
  }),
  ManagedFieldsEntry: message({
    1: ['manager'], 2: ['operation'], 3: ['apiVersion'], 4: ['time', 'time'], 6: ['fieldsType'], 7: ['fieldsV1', 'fieldsV1'], 8: ['subresource'],
  }),
  LabelSelector: message({ 1: ['matchLabels', 'string', 'map'], 2: ['matchExpressions', 'LabelSelectorRequirement', 'repeated'] }),
  LabelSelectorRequirement: message({ 1: ['key'], 2: ['operator'], 3: ['values', 'string', 'repeated'] }),
  ObjectReference: message({ 1: ['kind'], 2: ['namespace'], 3: ['name'], 4: ['uid'], 5: ['apiVersion'], 6: ['resourceVersion'], 7: ['fieldPath'] }),
  LocalObjectReference: message({ 1: ['name'] }),

  Namespace: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'], 3: ['status', 'NamespaceStatus'] }),
  NamespaceSpec: message({ 1: ['finalizers', 'string', 'repeated'] }),
  NamespaceStatus: message({ 1: ['phase'], 2: ['conditions', 'NamespaceCondition', 'repeated'] }),
  NamespaceCondition: message({ 1: ['type'], 2: ['status'], 4: ['lastTransitionTime', 'time'], 5: ['reason'], 6: ['message'] }),
  ConfigMap: message({ 1: ['metadata', 'ObjectMeta'], 4: ['immutable', 'bool', 'pointer'], 2: ['data', 'string', 'map'], 3: ['binaryData', 'bytes', 'map'] }),
  Secret: message({
    1: ['metadata', 'ObjectMeta'], 5: ['immutable', 'bool', 'pointer'], 2: ['data', 'bytes', 'map'], 4: ['stringData', 'string', 'map'], 3: ['type'],
  }),
  ServiceAccount: message({
    1: ['metadata', 'ObjectMeta'], 2: ['secrets', 'ObjectReference', 'repeated'], 3: ['imagePullSecrets', 'LocalObjectReference', 'repeated'],
    4: ['automountServiceAccountToken', 'bool', 'pointer'],
  }),
  Event: message({
    1: ['metadata', 'ObjectMeta'], 2: ['involvedObject', 'ObjectReference'], 3: ['reason'], 4: ['message'], 5: ['source', 'EventSource'],
    6: ['firstTimestamp', 'time'], 7: ['lastTimestamp', 'time'], 8: ['count', 'int32'], 9: ['type'], 10: ['eventTime', 'microTime'],
    11: ['series', 'EventSeries'], 12: ['action'], 13: ['related', 'ObjectReference'], 14: ['reportingComponent'], 15: ['reportingInstance'],
  }),
  EventSource: message({ 1: ['component'], 2: ['host'] }),
  EventSeries: message({ 1: ['count', 'int32'], 2: ['lastObservedTime', 'microTime'] }),
  Lease: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'LeaseSpec'] }),
  LeaseSpec: message({
    1: ['holderIdentity', 'string', 'pointer'], 2: ['leaseDurationSeconds', 'int32', 'pointer'], 3: ['acquireTime', 'microTime'],
    4: ['renewTime', 'microTime'], 5: ['leaseTransitions', 'int32', 'pointer'], 6: ['strategy', 'string', 'pointer'], 7: ['preferredHolder', 'string', 'pointer'],
  }),

  Pod: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'], 3: ['status', 'PodStatus'] }),
  PodStatus: message({ 1: ['phase'], 3: ['message'], 4: ['reason'], 5: ['hostIP'], 6: ['podIP'], 9: ['qosClass'], 11: ['nominatedNodeName'] }),
  PodTemplateSpec: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] }),
  PodSpec: message({
    20: ['initContainers', 'Container', 'repeated'], 2: ['containers', 'Container', 'repeated'], 3: ['restartPolicy'],
    4: ['terminationGracePeriodSeconds', 'int64', 'pointer'], 5: ['activeDeadlineSeconds', 'int64', 'pointer'], 6: ['dnsPolicy'],
    7: ['nodeSelector', 'string', 'map'], 8: ['serviceAccountName'], 9: ['serviceAccount'], 21: ['automountServiceAccountToken', 'bool', 'pointer'],
    10: ['nodeName'], 11: ['hostNetwork', 'bool'], 12: ['hostPID', 'bool'], 13: ['hostIPC', 'bool'], 27: ['shareProcessNamespace', 'bool', 'pointer'], 15: ['imagePullSecrets', 'LocalObjectReference', 'repeated'], 16: ['hostname'],
    17: ['subdomain'], 19: ['schedulerName'], 24: ['priorityClassName'], 25: ['priority', 'int32', 'pointer'],
    29: ['runtimeClassName', 'string', 'pointer'], 30: ['enableServiceLinks', 'bool', 'pointer'], 31: ['preemptionPolicy', 'string', 'pointer'],
    35: ['setHostnameAsFQDN', 'bool', 'pointer'], 37: ['hostUsers', 'bool', 'pointer'],
  }),
  Container: message({
    1: ['name'], 2: ['image'], 3: ['command', 'string', 'repeated'], 4: ['args', 'string', 'repeated'], 5: ['workingDir'],
    6: ['ports', 'ContainerPort', 'repeated'], 7: ['env', 'EnvVar', 'repeated'], 8: ['resources', 'ResourceRequirements'],
    13: ['terminationMessagePath'], 20: ['terminationMessagePolicy'], 14: ['imagePullPolicy'], 16: ['stdin', 'bool'],
    17: ['stdinOnce', 'bool'], 18: ['tty', 'bool'], 24: ['restartPolicy', 'string', 'pointer'],
  }),
  ContainerPort: message({ 1: ['name'], 2: ['hostPort', 'int32'], 3: ['containerPort', 'int32'], 4: ['protocol'], 5: ['hostIP'] }),
  EnvVar: message({ 1: ['name'], 2: ['value'] }),
  ResourceRequirements: message({ 1: ['limits', 'quantity', 'map'], 2: ['requests', 'quantity', 'map'] }),

  Deployment: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'], 3: ['status', 'DeploymentStatus'] }),
  DeploymentSpec: message({
    1: ['replicas', 'int32', 'pointer'], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', 'int32'], 6: ['revisionHistoryLimit', 'int32', 'pointer'], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int32', 'pointer'],
  }),
  DeploymentStrategy: message({ 1: ['type'], 2: ['rollingUpdate', 'RollingUpdateDeployment'] }),
  RollingUpdateDeployment: message({ 1: ['maxUnavailable', 'intOrString'], 2: ['maxSurge', 'intOrString'] }),
  DeploymentStatus: message({
    1: ['observedGeneration', 'int64'], 2: ['replicas', 'int32'], 3: ['updatedReplicas', 'int32'], 7: ['readyReplicas', 'int32'],
    4: ['availableReplicas', 'int32'], 5: ['unavailableReplicas', 'int32'], 8: ['collisionCount', 'int32', 'pointer'],
  }),

  Service: message({ 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'], 3: ['status', 'ServiceStatus'] }),
  ServiceSpec: message({
    1: ['ports', 'ServicePort', 'repeated'], 2: ['selector', 'string', 'map'], 3: ['clusterIP'], 18: ['clusterIPs', 'string', 'repeated'],
    4: ['type'], 5: ['externalIPs', 'string', 'repeated'], 7: ['sessionAffinity'], 8: ['loadBalancerIP'],
    9: ['loadBalancerSourceRanges', 'string', 'repeated'], 10: ['externalName'], 11: ['externalTrafficPolicy'],
    12: ['healthCheckNodePort', 'int32'], 13: ['publishNotReadyAddresses', 'bool'], 19: ['ipFamilies', 'string', 'repeated'],
    17: ['ipFamilyPolicy', 'string', 'pointer'], 20: ['allocateLoadBalancerNodePorts', 'bool', 'pointer'], 21: ['loadBalancerClass', 'string', 'pointer'],
    22: ['internalTrafficPolicy', 'string', 'pointer'],
  }),
  ServicePort: message({ 1: ['name'], 2: ['protocol'], 6: ['appProtocol', 'string', 'pointer'], 3: ['port', 'int32'], 4: ['targetPort', 'intOrString'], 5: ['nodePort', 'int32'] }),
  ServiceStatus: message({}),
};

/** The root message of each kind that may arrive as protobuf, by `apiVersion/kind`. */
export const rootMessages: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Event': 'Event',
  'v1/Pod': 'Pod',
  'v1/Service': 'Service',
  'apps/v1/Deployment': 'Deployment',
  'coordination.k8s.io/v1/Lease': 'Lease',
};
