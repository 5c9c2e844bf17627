import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.ts';
import { hostLogger, listFlag } from '../host-flags.ts';
import { packageVersion } from '../package-version.ts';

interface InstallFlags {
  namespace: string;
  image: string;
  imagePullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  replicas: number;
  storage: 'pvc' | 'emptyDir';
  storageSize: string;
  storageClass?: string;
  maxResidentMemory: string;
  memoryRequest: string;
  memoryLimit: string;
  watchNamespace: string[];
  readAccess: 'all' | 'none';
  rbac: boolean;
  dryRun?: string;
  output?: 'yaml' | 'json';
  kubeconfig?: string;
  context?: string;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/**
 * `wasm-operator install`: the CRD, RBAC, Deployment and Service that run the host in a
 * cluster; printed with `--dry-run=client`, applied (server-side) otherwise.
 */
export function installCommand(): Command {
  return new Command('install')
    .description('Install the WasmOperator CRD and the host (ServiceAccount, RBAC, Deployment, metrics Service) in a cluster, or print them with --dry-run=client')
    .option('-n, --namespace <ns>', 'namespace of the host', 'wasm-operator')
    .option('--image <image>', 'container image of the host', `wasm-operator:${packageVersion()}`)
    .addOption(new Option('--image-pull-policy <policy>', 'when the kubelet pulls the image').choices(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'))
    .option('--replicas <n>', 'host replicas; more than one elects a leader (and the PVC needs ReadWriteMany storage)', positiveInteger, 1)
    .addOption(new Option('--storage <kind>', 'state volume: a PersistentVolumeClaim (operators resume after a restart) or an emptyDir (they start cold)').choices(['pvc', 'emptyDir']).default('pvc'))
    .option('--storage-size <quantity>', 'size of the PersistentVolumeClaim', '1Gi')
    .option('--storage-class <name>', 'storage class of the PersistentVolumeClaim (default: the cluster\'s default)')
    .option('--max-resident-memory <quantity>', 'memory budget for resident operators (the host suspends the least recently active beyond it)', '256Mi')
    .option('--memory-request <quantity>', 'memory request of the host container', '96Mi')
    .option('--memory-limit <quantity>', 'memory limit of the host container', '512Mi')
    .addOption(new Option('--watch-namespace <ns>', 'run the WasmOperators of this namespace only (repeat or comma-separate)').argParser(listFlag).default([], 'all namespaces'))
    .addOption(new Option('--read-access <scope>', 'what the host may read for its shared informers: "all" resources, or "none" (bind narrower roles to its ServiceAccount yourself)').choices(['all', 'none']).default('all'))
    .option('--no-rbac', 'leave out the Roles, ClusterRoles and their bindings (when RBAC is managed elsewhere)')
    .option('--dry-run <strategy>', 'only "client": print the manifests instead of applying them')
    .addOption(new Option('-o, --output <format>', 'format of the printed manifests (with --dry-run=client)').choices(['yaml', 'json']))
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, in-cluster, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .action(async (flags: InstallFlags) => {
      if (flags.dryRun !== undefined && flags.dryRun !== 'client') throw new UsageError(`--dry-run=${flags.dryRun} is not supported; use --dry-run=client to print the manifests`);
      if (flags.output !== undefined && flags.dryRun === undefined) throw new UsageError('-o/--output prints the manifests and needs --dry-run=client');
      const { installManifests, manifestsYaml, applyDocuments } = await import('../../control/index.ts');
      const manifests = installManifests({
        namespace: flags.namespace,
        image: flags.image,
        imagePullPolicy: flags.imagePullPolicy,
        replicas: flags.replicas,
        storage: flags.storage === 'pvc' ? { kind: 'pvc', size: flags.storageSize, ...(flags.storageClass === undefined ? {} : { storageClassName: flags.storageClass }) } : { kind: 'emptyDir' },
        maxResidentMemory: flags.maxResidentMemory,
        memoryRequest: flags.memoryRequest,
        memoryLimit: flags.memoryLimit,
        watchNamespaces: flags.watchNamespace,
        readAccess: flags.readAccess,
        rbac: flags.rbac,
      });
      if (flags.dryRun === 'client') {
        process.stdout.write(flags.output === 'json' ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }, null, 2)}\n` : manifestsYaml(manifests));
        return;
      }
      const logger = hostLogger({ logFormat: 'text', logLevel: 'info' });
      const { KubeClient, RestMapper, loadKubeConfig } = await import('../../kube/index.ts');
      const restConfig = await loadKubeConfig({
        ...(flags.kubeconfig === undefined ? {} : { explicitPath: flags.kubeconfig }),
        ...(flags.context === undefined ? {} : { context: flags.context }),
        env: process.env,
        homeDir: os.homedir(),
      });
      const kube = new KubeClient(restConfig, { logger });
      try {
        await applyDocuments(manifests, kube, new RestMapper(kube), logger, { fieldManager: 'wasm-operator-install' });
      } finally {
        kube.close();
      }
      process.stderr.write(`\nInstalled in namespace ${flags.namespace}. Watch the host start with:\n  kubectl -n ${flags.namespace} rollout status deployment/wasm-operator\n`);
    });
}
