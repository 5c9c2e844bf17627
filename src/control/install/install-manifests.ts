/**
 * What `wasm-operator install` applies: the WasmOperator CRD (generated from the one
 * TypeScript schema), the host's identity and permissions, and the host itself as a
 * Deployment with its state volume and a metrics Service. deploy/ holds the output for the
 * default options; a test keeps it equal to this generator.
 *
 * Permissions follow DESIGN decision 4: the host may read what its shared informers watch and
 * write only its own objects (WasmOperator status and finalizers, Events, its Lease). Guests'
 * writes are meant to be sent as their own ServiceAccount (`spec.serviceAccountName`), which
 * the host may impersonate; the union of the operators' permissions is never granted to it.
 */
import { stringify } from 'yaml';
import { group } from '../../runtime/index.ts';
import { plural, wasmOperatorCrd } from '../wasm-operator-crd.ts';

export interface InstallOptions {
  /** Where the host runs (and its Lease lives). */
  namespace: string;
  image: string;
  imagePullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  /** More than one turns leader election on. */
  replicas: number;
  /** Snapshots survive restarts on a PersistentVolumeClaim; an emptyDir starts operators cold after a reschedule. */
  storage: { kind: 'pvc'; size: string; storageClassName?: string } | { kind: 'emptyDir' };
  /** The host's memory budget for resident operators (`--max-resident-memory`). */
  maxResidentMemory: string;
  /** The container's memory request (the idle host) and limit (budget, plus headroom for loading and snapshotting). */
  memoryRequest: string;
  memoryLimit: string;
  /** Run only the WasmOperators of these namespaces; all when empty. */
  watchNamespaces: readonly string[];
  /** `all`: the host may get, list and watch everything (what shared informers need for any operator); `none`: bind narrower roles yourself. */
  readAccess: 'all' | 'none';
  /** False: no Roles, ClusterRoles or bindings (for clusters where RBAC is managed elsewhere). */
  rbac: boolean;
}

/**
 * The defaults, with the image of this version. The idle host measures about 75 MiB RSS
 * (`wasm-operator bench control`), so the memory request leaves room for suspended operators.
 */
export const defaultInstallOptions = (version: string): InstallOptions => ({
  namespace: 'wasm-operator',
  image: `wasm-operator:${version}`,
  imagePullPolicy: 'IfNotPresent',
  replicas: 1,
  storage: { kind: 'pvc', size: '1Gi' },
  maxResidentMemory: '256Mi',
  memoryRequest: '96Mi',
  memoryLimit: '512Mi',
  watchNamespaces: [],
  readAccess: 'all',
  rbac: true,
});

/** One object to apply. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const name = 'wasm-operator';
const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': name };
const statePath = '/var/lib/wasm-operator';
const statusPort = 8081;

/** Every object to apply, in an order that `kubectl apply -f` can follow (namespace and CRD first). */
export function installManifests(options: InstallOptions): Manifest[] {
  const { namespace } = options;
  const meta = (objectName: string, namespaced = true) => ({ name: objectName, ...(namespaced ? { namespace } : {}), labels });
  const subject = { kind: 'ServiceAccount', name, namespace };
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(namespace, false) },
    { ...wasmOperatorCrd() },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(`${name}-host`, false),
      rules: [
        { apiGroups: [group], resources: [plural], verbs: ['get', 'list', 'watch', 'patch', 'update'] },
        { apiGroups: [group], resources: [`${plural}/status`], verbs: ['get', 'patch', 'update'] },
        // Module sources (`spec.module.configMap`); the host only reads them.
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        // `spec.serviceAccountName`: guests' calls are sent as their own account.
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      ],
    },
    binding('ClusterRoleBinding', `${name}-host`, undefined, subject),
  ];
  if (options.readAccess === 'all') {
    manifests.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: meta(`${name}-host-read`, false),
        // Shared informers watch with the host's identity (one watch per kind for every operator), so the host reads what any operator watches.
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
      },
      binding('ClusterRoleBinding', `${name}-host-read`, undefined, subject),
    );
  }
  manifests.push(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(`${name}-leader-election`),
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
    },
    binding('RoleBinding', `${name}-leader-election`, namespace, subject),
  );
  if (options.storage.kind === 'pvc') {
    manifests.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(`${name}-state`),
      spec: {
        // Replicas share the state directory, so a new leader resumes operators from their snapshots.
        accessModes: [options.replicas > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'],
        resources: { requests: { storage: options.storage.size } },
        ...(options.storage.storageClassName === undefined ? {} : { storageClassName: options.storage.storageClassName }),
      },
    });
  }
  manifests.push(deployment(options, meta(name)), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(`${name}-metrics`), annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(statusPort), 'prometheus.io/path': '/metrics' } },
    spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'status', port: statusPort, targetPort: 'status', protocol: 'TCP' }] },
  });
  return options.rbac ? manifests : manifests.filter((m) => !m.apiVersion.startsWith('rbac.authorization.k8s.io/'));
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', roleName: string, namespace: string | undefined, subject: Record<string, string>): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: roleName, ...(namespace === undefined ? {} : { namespace }), labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: kind === 'RoleBinding' ? 'Role' : 'ClusterRole', name: roleName },
    subjects: [subject],
  };
}

function deployment(options: InstallOptions, metadata: Manifest['metadata']): Manifest {
  const leaderElect = options.replicas > 1;
  const args = [
    'run',
    `--state-dir=${statePath}`,
    `--status-address=0.0.0.0:${statusPort}`,
    '--log-format=json',
    `--max-resident-memory=${options.maxResidentMemory}`,
    ...(leaderElect ? ['--leader-elect'] : []),
    ...(options.watchNamespaces.length > 0 ? [`--namespace=${options.watchNamespaces.join(',')}`] : []),
  ];
  const fieldEnv = (envName: string, fieldPath: string) => ({ name: envName, valueFrom: { fieldRef: { fieldPath } } });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      // One replica on a ReadWriteOnce volume: the old pod must let go of it before the new one starts.
      strategy: !leaderElect && options.storage.kind === 'pvc' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          // Time to finish reconciles in flight and snapshot warm operators (SIGTERM), then release the Lease.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'host',
              image: options.image,
              imagePullPolicy: options.imagePullPolicy,
              args,
              env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
              ports: [{ name: 'status', containerPort: statusPort, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 'status' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'status' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
              resources: { requests: { cpu: '50m', memory: options.memoryRequest }, limits: { memory: options.memoryLimit } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'state', mountPath: statePath },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            options.storage.kind === 'pvc' ? { name: 'state', persistentVolumeClaim: { claimName: `${name}-state` } } : { name: 'state', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** The manifests as one YAML stream (`---` between documents), as `kubectl apply -f` reads it. */
export function manifestsYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
}
