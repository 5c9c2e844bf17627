/**
 * What every operator in a host shares: the engine and its compiled modules, the snapshot
 * store, the load limit, the Kubernetes client with its discovery and shared informers, the clock, the logger
 * and the metrics. The Host owns them; runners only use them.
 */
import type { InformerRegistry, KubeClient, RestMapper } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import type { SnapshotStore, WasmEngine } from '../../wasm/index.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import type { HostClock } from './host-clock.ts';

/** What the host measures about operators; `src/control` exports it to Prometheus. */
export interface HostMetrics {
  wake(operator: string, from: 'cold' | 'restore', durationMs: number): void;
  suspend(operator: string, durationMs: number): void;
  reconcile(operator: string, result: 'done' | 'requeueAfter' | 'failed', durationMs: number): void;
  guestRequest(operator: string, outcome: 'sent' | 'forbidden' | 'unavailable'): void;
}

export interface HostServices {
  engine: WasmEngine;
  snapshots: SnapshotStore;
  /** Where operators' state files live (pending timers, settings digest). */
  stateDirectory: string;
  kube: KubeClient;
  mapper: RestMapper;
  informers: InformerRegistry;
  clock: HostClock;
  logger: Logger;
  metrics?: HostMetrics;
  /** Operator loads (fetching and compiling a module, a cold start) run behind it, a few at a time. */
  loads: ConcurrencyLimit;
  /** Called when an operator's resident memory changed (loaded, dropped, suspended): the memory budget reacts. */
  onResidentChange(): void;
}
