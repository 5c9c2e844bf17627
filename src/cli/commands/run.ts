import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.ts';
import { addHostFlags, hostLogger, kubeRateLimit, listFlag, maxResidentBytes, shutdownSignal, type HostFlags } from '../host-flags.ts';

interface RunFlags extends HostFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string[];
  leaderElect?: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  identity?: string;
  statusRefresh: string;
  moduleDir?: string;
}

/** Flags that only cluster mode reads. */
const clusterOnly = ['namespace', 'leaderElect', 'leaderElectionNamespace', 'moduleDir'] as const;

/**
 * `wasm-operator run`: with `-f operators.yaml`, runs that file's operators (local mode);
 * without, runs the cluster's WasmOperator resources and writes their status (cluster mode).
 * Either way until SIGINT/SIGTERM.
 */
export function runCommand(): Command {
  const command = new Command('run')
    .description('Run WasmOperators against a Kubernetes cluster: the WasmOperator resources of the cluster, or those of a file (-f)')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, in-cluster, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .addOption(new Option('--namespace <ns>', 'cluster mode: run the WasmOperators of this namespace only (repeat or comma-separate for several)').argParser(listFlag).default([], 'all namespaces'))
    .option('--leader-elect', 'cluster mode: compete for a Lease with other replicas; only the leader runs operators')
    .option('--leader-election-namespace <ns>', 'namespace of the Lease (default: POD_NAMESPACE, else the kubeconfig\'s namespace)')
    .option('--leader-election-id <name>', 'name of the Lease', 'wasm-operator-host')
    .option('--lease-duration <duration>', 'how long standbys wait after the leader\'s last renewal before taking over', '15s')
    .option('--renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops its operators', '10s')
    .option('--retry-period <duration>', 'time between attempts to acquire or renew the Lease', '2s')
    .option('--identity <name>', 'this replica\'s name in the Lease and in Events (default: POD_NAME, else host name and pid)')
    .option('--status-refresh <duration>', 'cluster mode: how often changed counters are written to WasmOperator status (other changes are written at once)', '30s')
    .option('--module-dir <dir>', 'cluster mode: allow `spec.module.file`, resolved inside this directory (e.g. modules baked into the image)');
  return addHostFlags(command, '.wasm-operator/state', { required: false, description: 'local mode: run the WasmOperator documents of this file instead of the cluster\'s' }).action(async (flags: RunFlags) => {
    const logger = hostLogger(flags);
    const misplaced = flags.file === undefined ? [] : clusterOnly.filter((name) => (Array.isArray(flags[name]) ? (flags[name] as string[]).length > 0 : flags[name] !== undefined));
    if (misplaced.length > 0) throw new UsageError(`${misplaced.map(flagName).join(', ')} apply to cluster mode; run without -f to use them`);
    const durations = await parseDurations(flags);
    const { loadKubeConfig } = await import('../../kube/index.ts');
    const restConfig = await loadKubeConfig({
      ...(flags.kubeconfig === undefined ? {} : { explicitPath: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      env: process.env,
      homeDir: os.homedir(),
    });
    const status = flags.statusAddress === 'off' ? {} : { status: flags.statusAddress };
    if (flags.file !== undefined) {
      const { startLocalHost } = await import('../../control/index.ts');
      const running = await startLocalHost({ operatorsFile: flags.file, restConfig, stateDirectory: flags.stateDir, logger, maxResidentBytes: await maxResidentBytes(flags), rateLimit: kubeRateLimit(flags), snapshotCompression: flags.snapshotCompression, ...status });
      await shutdownSignal(logger);
      await running.stop();
      return;
    }
    const { startClusterHost } = await import('../../control/index.ts');
    const running = await startClusterHost({
      restConfig,
      stateDirectory: flags.stateDir,
      logger,
      identity: flags.identity ?? process.env.POD_NAME ?? `${os.hostname()}-${process.pid}`,
      maxResidentBytes: await maxResidentBytes(flags),
      rateLimit: kubeRateLimit(flags),
      snapshotCompression: flags.snapshotCompression,
      namespaces: flags.namespace,
      ...status,
      ...(flags.moduleDir === undefined ? {} : { moduleDirectory: path.resolve(flags.moduleDir) }),
      ...(flags.leaderElect !== true ? {} : {
        leaderElection: {
          namespace: flags.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? restConfig.namespace ?? 'default',
          name: flags.leaderElectionId,
          leaseDurationMs: durations.leaseDuration,
          renewDeadlineMs: durations.renewDeadline,
          retryPeriodMs: durations.retryPeriod,
        },
      }),
      controller: { status: { refreshMs: durations.statusRefresh } },
    });
    const failure = await Promise.race([shutdownSignal(logger).then(() => undefined), running.failed.then((err) => ({ err }))]);
    await running.stop();
    if (failure !== undefined) throw failure.err;
  });
}

function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function parseDurations(flags: RunFlags): Promise<Record<'leaseDuration' | 'renewDeadline' | 'retryPeriod' | 'statusRefresh', number>> {
  const { parseDuration } = await import('../../runtime/index.ts');
  const parse = (name: 'leaseDuration' | 'renewDeadline' | 'retryPeriod' | 'statusRefresh') => {
    try {
      const ms = parseDuration(flags[name]);
      if (ms > 0) return ms;
      throw new Error('must be greater than zero');
    } catch (err) {
      throw new UsageError(`${flagName(name)} ${flags[name]}: ${(err as Error).message}`);
    }
  };
  const parsed = { leaseDuration: parse('leaseDuration'), renewDeadline: parse('renewDeadline'), retryPeriod: parse('retryPeriod'), statusRefresh: parse('statusRefresh') };
  if (flags.leaderElect === true && !(parsed.retryPeriod < parsed.renewDeadline && parsed.renewDeadline < parsed.leaseDuration)) {
    throw new UsageError(`leader election needs --retry-period < --renew-deadline < --lease-duration, got ${flags.retryPeriod}, ${flags.renewDeadline}, ${flags.leaseDuration}`);
  }
  return parsed;
}
