/**
 * The host's Prometheus metrics, in a registry of the host's own: two hosts in one process,
 * as in tests, never share counters.
 */
import { Counter, Gauge, Histogram, Registry } from './metric-registry.ts';
import { collectProcessMetrics } from './process-metrics.ts';
import type { HostMetrics, OperatorReport } from '../runtime/index.ts';

/** Milliseconds buckets from sub-millisecond warm wakes to multi-second cold starts. */
const msBuckets = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

export class PrometheusMetrics implements HostMetrics {
  readonly registry = new Registry();
  readonly #wakes = new Histogram({ name: 'wasm_operator_wake_duration_ms', help: 'Time to load an operator: a cold start or a restore from its snapshot', labelNames: ['operator', 'from'], buckets: msBuckets, registers: [this.registry] });
  readonly #suspends = new Histogram({ name: 'wasm_operator_suspend_duration_ms', help: 'Time to snapshot an operator to disk and drop its instance', labelNames: ['operator'], buckets: msBuckets, registers: [this.registry] });
  readonly #reconciles = new Histogram({ name: 'wasm_operator_reconcile_duration_ms', help: 'Time of one reconcile call, by result', labelNames: ['operator', 'result'], buckets: msBuckets, registers: [this.registry] });
  readonly #requests = new Counter({ name: 'wasm_operator_guest_api_requests_total', help: 'API requests made by guests: sent, forbidden by the operator\'s permissions, or unanswered', labelNames: ['operator', 'outcome'], registers: [this.registry] });

  readonly #refresh: () => void;

  /** `operators` and `informers` are read at scrape time, so gauges always show the current state. */
  constructor(operators: () => readonly OperatorReport[], informers: () => readonly { key: string; state: string }[]) {
    collectProcessMetrics(this.registry, 'wasm_operator_host_');
    const phase = new Gauge({ name: 'wasm_operator_phase', help: '1 for the phase each operator is in', labelNames: ['operator', 'phase'], registers: [this.registry] });
    const resident = new Gauge({ name: 'wasm_operator_resident_bytes', help: 'Linear memory held by each operator (0 while suspended)', labelNames: ['operator'], registers: [this.registry] });
    const snapshot = new Gauge({ name: 'wasm_operator_snapshot_bytes', help: 'Bytes of each operator\'s snapshots on disk', labelNames: ['operator'], registers: [this.registry] });
    const queued = new Gauge({ name: 'wasm_operator_queue_depth', help: 'Requests waiting in each operator\'s queue', labelNames: ['operator'], registers: [this.registry] });
    const informer = new Gauge({ name: 'wasm_operator_informer_up', help: '1 when the shared informer is watching, 0 when it is syncing, backing off or stopped', labelNames: ['informer', 'state'], registers: [this.registry] });
    this.#refresh = () => {
      phase.reset();
      resident.reset();
      snapshot.reset();
      queued.reset();
      for (const op of operators()) {
        phase.set({ operator: op.name, phase: op.phase }, 1);
        resident.set({ operator: op.name }, op.residentBytes);
        snapshot.set({ operator: op.name }, op.snapshotBytes);
        queued.set({ operator: op.name }, op.queued);
      }
      informer.reset();
      for (const i of informers()) informer.set({ informer: i.key, state: i.state }, i.state === 'watching' ? 1 : 0);
    };
  }

  /** The exposition text for `/metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    this.#refresh();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  wake(operator: string, from: 'cold' | 'restore', durationMs: number): void {
    this.#wakes.observe({ operator, from }, durationMs);
  }

  suspend(operator: string, durationMs: number): void {
    this.#suspends.observe({ operator }, durationMs);
  }

  reconcile(operator: string, result: 'done' | 'requeueAfter' | 'failed', durationMs: number): void {
    this.#reconciles.observe({ operator, result }, durationMs);
  }

  guestRequest(operator: string, outcome: 'sent' | 'forbidden' | 'unavailable'): void {
    this.#requests.inc({ operator, outcome });
  }

  /** The cluster mode's own metrics: whether this replica leads, and how status writes fare. Returns the write counter's increment. */
  addClusterMetrics(isLeader: () => boolean): (outcome: 'written' | 'failed' | 'gone') => void {
    new Gauge({ name: 'wasm_operator_leader', help: '1 while this replica runs the operators (always 1 without leader election)', registers: [this.registry], collect() { this.set(isLeader() ? 1 : 0); } });
    const writes = new Counter({ name: 'wasm_operator_status_writes_total', help: 'WasmOperator status writes, by outcome: written, failed (retried at the next check) or gone (the object was deleted)', labelNames: ['outcome'], registers: [this.registry] });
    return (outcome) => writes.inc({ outcome });
  }

  /** Name, type, labels and help of every metric registered, for docs/operators.md (the process metrics as one pattern). */
  describe(): Array<{ name: string; type: string; help: string; labels: string[] }> {
    // prom-client keeps each metric's label names on the metric object without declaring them in its types.
    const own = this.registry.getMetricsAsArray().filter((m) => !m.name.startsWith('wasm_operator_host_'));
    return [
      ...own.map((m) => ({ name: m.name, type: String(m.type), help: m.help, labels: [...((m as unknown as { labelNames?: readonly string[] }).labelNames ?? [])] })),
      { name: 'wasm_operator_host_*', type: 'various', help: 'The Node.js process: CPU, resident memory, heap, event loop lag, GC (prom-client\'s default metrics)', labels: [] },
    ];
  }
}
