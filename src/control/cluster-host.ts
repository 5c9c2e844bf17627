/**
 * A host in cluster mode (`wasm-operator run` without `-f`): it runs the WasmOperator custom
 * resources of the cluster (or of some namespaces) and writes their status. With leader
 * election, several replicas share one Lease: the leader runs every operator, the others
 * wait, serving their health endpoints, and take over when the leader goes away.
 *
 * Each term of leadership gets a fresh Host and controller. On losing the lease the host is
 * stopped (in-flight reconciles finish, warm operators are snapshotted); a successor that
 * shares the state directory resumes them from those snapshots, one that does not starts
 * them cold.
 */
import { LeaderElector, type InformerHealth, type KubeClient } from '../kube/index.ts';
import type { Logger } from '../log/index.ts';
import { Host, wasmOperatorApiVersion, type OperatorReport } from '../runtime/index.ts';
import { EventRecorder } from './controller/event-recorder.ts';
import { WasmOperatorController, type WasmOperatorControllerOptions } from './controller/wasm-operator-controller.ts';
import { hostKubeClient, hostSettings, type HostProcessOptions } from './host-options.ts';
import { PrometheusMetrics } from './metrics.ts';
import { startStatusServer, type StatusServer } from './status-server.ts';

export interface LeaderElectionSettings {
  /** Namespace and name of the Lease. */
  namespace: string;
  name: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ClusterHostOptions extends HostProcessOptions {
  /** This replica's name in the Lease and in Events (a pod name). */
  identity: string;
  /** Run the WasmOperators of these namespaces only; all when absent or empty. */
  namespaces?: readonly string[];
  /** Compete for a Lease instead of running at once. */
  leaderElection?: LeaderElectionSettings;
  moduleDirectory?: string;
  /** Tuning of the controller (status refresh, rate limits); defaults suit production. */
  controller?: Pick<WasmOperatorControllerOptions, 'statusCheckMs' | 'status' | 'workers'>;
}

export interface ClusterHost {
  kube: KubeClient;
  statusUrl?: string;
  /** The host of the current term, when this replica leads (or runs without election). */
  readonly host: Host | undefined;
  readonly controller: WasmOperatorController | undefined;
  readonly isLeader: boolean;
  /**
   * Resolves with the error if this replica won the Lease but could not start its host (an
   * unusable state directory): it has then stepped down, and the process should exit so that
   * it is restarted, as client-go's controllers do. Never rejects.
   */
  readonly failed: Promise<unknown>;
  /** Stops the operators (snapshotting them), then releases the Lease so a standby takes over at once. */
  stop(): Promise<void>;
}

interface Term {
  host: Host;
  controller: WasmOperatorController;
}

export async function startClusterHost(options: ClusterHostOptions): Promise<ClusterHost> {
  const { logger } = options;
  const kube = hostKubeClient(options);
  const events = new EventRecorder(kube, { component: 'host', instance: options.identity, logger });
  const elector = options.leaderElection === undefined ? undefined : new LeaderElector(kube, { ...options.leaderElection, identity: options.identity, logger });
  let term: Term | undefined;
  // Terms start and stop one after the other, never overlapping: a new term waits for the old host to stop.
  let transition: Promise<void> = Promise.resolve();
  let metrics: PrometheusMetrics | undefined;
  let statusWrite: ((outcome: 'written' | 'failed' | 'gone') => void) | undefined;

  const readiness = (): string[] => {
    if (options.leaderElection !== undefined && !elector?.isLeader) return [];
    if (term === undefined) return ['the controller is starting'];
    return term.controller.health().filter((i) => i.state.phase !== 'watching').map((i) => `WasmOperator informer ${i.key} is ${i.state.phase}${i.state.phase === 'backingOff' ? ' (is the CRD installed? see `wasm-operator install`)' : ''}`);
  };
  const informers = (): InformerHealth[] => (term === undefined ? [] : [...term.controller.health(), ...term.host.informerHealth()]);
  const operators = (): OperatorReport[] => term?.host.operators() ?? [];

  const begin = async (): Promise<void> => {
    const host = await Host.create({ ...hostSettings(options, kube), ...(metrics === undefined ? {} : { metrics }) });
    const controller = new WasmOperatorController({
      kube,
      host,
      logger,
      events,
      ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
      ...(options.moduleDirectory === undefined ? {} : { moduleDirectory: options.moduleDirectory }),
      ...options.controller,
      status: { ...options.controller?.status, onWrite: (outcome) => statusWrite?.(outcome) },
    });
    controller.start();
    term = { host, controller };
    void warnWithoutCrd(kube, logger);
  };
  const end = async (): Promise<void> => {
    const ending = term;
    term = undefined;
    if (ending === undefined) return;
    await ending.controller.stop();
    await ending.host.stop();
  };

  if (options.status !== undefined) {
    metrics = new PrometheusMetrics(operators, () => informers().map((i) => ({ key: i.key, state: i.state.phase })));
    statusWrite = metrics.addClusterMetrics(() => term !== undefined);
  }
  const source = {
    operators: () => ({ operators: operators(), problems: term?.host.problems() ?? [], leader: elector === undefined ? options.identity : (elector.leader ?? null), isLeader: term !== undefined }),
    notReady: readiness,
  };
  const status: StatusServer | undefined = options.status === undefined || metrics === undefined ? undefined : await startStatusServer(source, metrics, options.status);
  if (status !== undefined) logger.log('info', 'host.status', { url: status.url, endpoints: '/metrics /healthz /readyz /operators' });

  let fail!: (err: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (fail = resolve));
  const serially = (step: () => Promise<void>) => {
    transition = transition.then(step).catch(async (err: unknown) => {
      logger.log('error', 'host.term.failed', { error: err, hint: 'stepping down' });
      await elector?.stop();
      await elector?.release();
      fail(err);
    });
  };
  if (elector === undefined) {
    try {
      await begin();
    } catch (err) {
      await status?.close();
      kube.close();
      throw err;
    }
  } else {
    logger.log('info', 'leader.candidate', { lease: `${options.leaderElection!.namespace}/${options.leaderElection!.name}`, identity: options.identity });
    elector.start({ onStartedLeading: () => serially(begin), onStoppedLeading: () => serially(end) });
  }
  logger.log('info', 'host.started', { mode: 'cluster', namespaces: options.namespaces?.length ? options.namespaces.join(',') : '(all)', leaderElection: elector !== undefined, stateDirectory: options.stateDirectory });

  return {
    kube,
    ...(status === undefined ? {} : { statusUrl: status.url }),
    get host() {
      return term?.host;
    },
    get controller() {
      return term?.controller;
    },
    get isLeader() {
      return term !== undefined;
    },
    failed,
    async stop() {
      if (elector === undefined) serially(end);
      // Stopping the elector queues `end` (onStoppedLeading); the Lease is released only once the host has stopped.
      else await elector.stop();
      await transition;
      await elector?.release();
      await events.flush();
      await status?.close();
      kube.close();
      logger.log('info', 'host.stopped', {});
    },
  };
}

/** Says clearly, once, when the WasmOperator resource is not served (the informer would only back off). */
async function warnWithoutCrd(kube: KubeClient, logger: Logger): Promise<void> {
  try {
    const response = await kube.request({ method: 'GET', path: `/apis/${wasmOperatorApiVersion}` });
    if (response.status === 404) logger.log('warn', 'controller.crd.missing', { apiVersion: wasmOperatorApiVersion, hint: 'install the CRD: `wasm-operator install` (or `kubectl apply -f deploy/crd.yaml`); the host keeps trying' });
  } catch {
    // Unreachable API server: the informer reports it.
  }
}
