/** What the two ways of running a host (`run -f` and cluster mode) are both given. */
import { KubeClient, type RestConfig } from '../kube/index.ts';
import type { Logger } from '../log/index.ts';
import type { HostOptions } from '../runtime/index.ts';
import type { SnapshotCompression } from '../wasm/index.ts';

export interface HostProcessOptions {
  restConfig: RestConfig;
  stateDirectory: string;
  logger: Logger;
  maxResidentBytes?: number;
  /** How snapshots store memory (EngineOptions.compression); the engine's default when absent. */
  snapshotCompression?: SnapshotCompression;
  /** Where to serve /metrics, /healthz, /readyz and /operators; none when absent. */
  status?: { host: string; port: number };
  /** The client-side rate limit of the host's API calls, its operators' included; the client's default when absent. */
  rateLimit?: { qps: number; burst: number };
}

/** The one API client a host and all its operators share. */
export function hostKubeClient(options: HostProcessOptions): KubeClient {
  return new KubeClient(options.restConfig, { logger: options.logger, ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }) });
}

/** What both ways of running a host hand to `Host.create` from their options (each adds its metrics). */
export function hostSettings(options: HostProcessOptions, kube: KubeClient): HostOptions {
  return {
    kube,
    stateDirectory: options.stateDirectory,
    logger: options.logger,
    ...(options.maxResidentBytes === undefined ? {} : { maxResidentBytes: options.maxResidentBytes }),
    ...(options.snapshotCompression === undefined ? {} : { engine: { compression: options.snapshotCompression } }),
  };
}
