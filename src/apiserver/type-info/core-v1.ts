/**
 * Patch and apply metadata of the core/v1 kinds the embedded server serves (Namespace,
 * ConfigMap, Secret, ServiceAccount, Event, Pod, Service) and of PodTemplateSpec, transcribed
 * from the Kubernetes API reference (OpenAPI `x-kubernetes-*` extensions of io.k8s.api.core.v1).
 * Only what differs from the defaults is listed (see meta-v1.ts).
 */
import { list, map, mergeList, scalar, struct } from './field-type.ts';
import { labelSelector, objectMeta } from './meta-v1.ts';

/** LocalObjectReference, ObjectReference and the key/field selectors are atomic structs. */
const atomicStruct = struct({}, { atomic: true });

const resourceRequirements = struct({
  limits: map(),
  requests: map(),
  claims: list(struct(), { listType: 'map', keys: ['name'] }),
});

const container = struct({
  ports: mergeList(struct({}, { defaults: { protocol: 'TCP' } }), 'containerPort', ['containerPort', 'protocol']),
  env: mergeList(struct({
    valueFrom: struct({
      fieldRef: atomicStruct,
      resourceFieldRef: atomicStruct,
      configMapKeyRef: atomicStruct,
      secretKeyRef: atomicStruct,
      fileKeyRef: atomicStruct,
    }),
  }), 'name'),
  resources: resourceRequirements,
  volumeMounts: mergeList(struct({ bindMountOptions: list(scalar, { listType: 'set' }) }), 'mountPath'),
  volumeDevices: mergeList(struct(), 'devicePath'),
});

const withSecretRef = struct({ secretRef: atomicStruct });

const volume = struct({
  iscsi: withSecretRef,
  rbd: withSecretRef,
  flexVolume: struct({ secretRef: atomicStruct, options: map() }),
  cinder: withSecretRef,
  cephfs: withSecretRef,
  scaleIO: withSecretRef,
  storageos: withSecretRef,
  csi: struct({ volumeAttributes: map(), nodePublishSecretRef: atomicStruct }),
  ephemeral: struct({
    volumeClaimTemplate: struct({
      metadata: objectMeta,
      spec: struct({
        selector: labelSelector,
        resources: struct({ limits: map(), requests: map() }),
        dataSource: atomicStruct,
      }),
    }),
  }),
});

const podSpec = struct({
  volumes: mergeList(volume, 'name', ['name'], 'merge,retainKeys'),
  initContainers: mergeList(container, 'name'),
  containers: mergeList(container, 'name'),
  ephemeralContainers: mergeList(container, 'name'),
  nodeSelector: map(scalar, { atomic: true }),
  imagePullSecrets: mergeList(atomicStruct, 'name'),
  affinity: struct({ nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicStruct }) }),
  hostAliases: mergeList(struct(), 'ip'),
  overhead: map(),
  topologySpreadConstraints: mergeList(struct({ labelSelector }), 'topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  schedulingGates: mergeList(struct(), 'name'),
  resourceClaims: mergeList(struct(), 'name', ['name'], 'merge,retainKeys'),
  resources: resourceRequirements,
  evictionResponders: mergeList(atomicStruct, 'name'),
});

const conditions = mergeList(struct(), 'type');

const podStatus = struct({
  conditions,
  hostIPs: list(struct(), { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' }),
  podIPs: mergeList(struct(), 'ip'),
  resourceClaimStatuses: mergeList(struct(), 'name', ['name'], 'merge,retainKeys'),
  allocatedResources: map(),
  resources: resourceRequirements,
  nodeAllocatableResourceClaimStatuses: mergeList(struct({
    containers: list(scalar, { listType: 'set' }),
    mapping: mergeList(struct(), 'name'),
    overhead: mergeList(struct(), 'name'),
  }), 'resourceClaimName'),
  volumeHealth: list(struct({
    healthConditions: mergeList(struct(), 'status', ['status', 'reason']),
  }), { listType: 'map', keys: ['name'] }),
});

export const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec });

export const pod = struct({ metadata: objectMeta, spec: podSpec, status: podStatus });

export const service = struct({
  metadata: objectMeta,
  spec: struct({
    ports: mergeList(struct({}, { defaults: { protocol: 'TCP' } }), 'port', ['port', 'protocol']),
    selector: map(scalar, { atomic: true }),
  }),
  status: struct({ conditions }),
});

export const namespace = struct({ metadata: objectMeta, status: struct({ conditions }) });
export const configMap = struct({ metadata: objectMeta, data: map(), binaryData: map() });
export const secret = struct({ metadata: objectMeta, data: map(), stringData: map() });
export const serviceAccount = struct({ metadata: objectMeta, secrets: mergeList(atomicStruct, 'name') });
export const event = struct({ metadata: objectMeta, involvedObject: atomicStruct, related: atomicStruct });
