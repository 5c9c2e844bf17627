/**
 * A host running the operators of an operators file (`wasm-operator run -f`, and `dev`, which
 * also applies the file's other documents): the pieces wired together, started and stopped.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../errors.ts';
import { RestMapper, type KubeClient } from '../kube/index.ts';
import { Host, parseOperatorsYaml } from '../runtime/index.ts';
import { applyDocuments } from './apply-documents.ts';
import { hostKubeClient, hostSettings, type HostProcessOptions } from './host-options.ts';
import { PrometheusMetrics } from './metrics.ts';
import { hostStatusSource, startStatusServer, type StatusServer } from './status-server.ts';

export interface LocalHostOptions extends HostProcessOptions {
  operatorsFile: string;
  /** Apply the file's other documents (CRDs, namespaces, resources) before starting the operators. */
  applyOtherDocuments?: boolean;
}

export interface LocalHost {
  host: Host;
  kube: KubeClient;
  statusUrl?: string;
  /** Finishes in-flight reconciles, snapshots warm operators and closes every connection. */
  stop(): Promise<void>;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const { logger } = options;
  const file = path.resolve(options.operatorsFile);
  const loaded = parseOperatorsYaml(await readFile(file, 'utf8'), file, { allowOtherKinds: options.applyOtherDocuments === true });
  const kube = hostKubeClient(options);
  if (options.applyOtherDocuments === true && loaded.others.length > 0) {
    await applyDocuments(loaded.others.map((o) => o.object), kube, new RestMapper(kube), logger);
  }
  let metrics: PrometheusMetrics | undefined;
  const host = await Host.create({
    ...hostSettings(options, kube),
    metrics: {
      wake: (...args) => metrics?.wake(...args),
      suspend: (...args) => metrics?.suspend(...args),
      reconcile: (...args) => metrics?.reconcile(...args),
      guestRequest: (...args) => metrics?.guestRequest(...args),
    },
  });
  let status: StatusServer | undefined;
  if (options.status !== undefined) {
    metrics = new PrometheusMetrics(() => host.operators(), () => host.informerHealth().map((i) => ({ key: i.key, state: i.state.phase })));
    status = await startStatusServer(hostStatusSource(host), metrics, options.status);
    logger.log('info', 'host.status', { url: status.url, endpoints: '/metrics /healthz /readyz /operators' });
  }
  const baseDir = path.dirname(file);
  await Promise.all(
    loaded.operators.map(async ({ operator }) => {
      try {
        await host.apply(operator, { baseDir });
      } catch (err) {
        // One operator that can never run must not keep the others from starting.
        logger.log('error', 'operator.invalid', { operator: `${operator.metadata.namespace ?? 'default'}/${operator.metadata.name}`, error: describeError(err) });
      }
    }),
  );
  logger.log('info', 'host.started', { operators: host.operators().length, waiting: host.problems().length, stateDirectory: options.stateDirectory });
  return {
    host,
    kube,
    ...(status === undefined ? {} : { statusUrl: status.url }),
    async stop() {
      await host.stop();
      await status?.close();
      kube.close();
      logger.log('info', 'host.stopped', {});
    },
  };
}
