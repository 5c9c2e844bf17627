/**
 * One operator in the host: its informer subscriptions, work queue, lifecycle, idle policy and
 * (while warm) its wasm instance. Data flows one way: informer event -> router -> queue ->
 * wake (restore or cold start) -> `wo_reconcile` -> result -> queue -> idle policy -> suspend.
 *
 * Guarantees:
 * - One call into the guest at a time, and one pump per operator: reconciles of one operator
 *   run in queue order, while other operators run concurrently (JSPI).
 * - A trap, a timeout or a broken ABI contract fails that call only: the instance is dropped,
 *   the key is retried with backoff, and the operator is loaded again (from its latest good
 *   snapshot) after its crash-loop delay.
 * - An operator is suspended only between calls; its pending work stays in the host, so its
 *   own timers wake it.
 */
import { AbiSession, abiVersion, callWithPayload, checkAbiVersion, type GuestResult } from '../../abi/index.ts';
import type { InformerEvent, InformerSubscription, KubeObject } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import { SnapshotError, type WasmInstance, type WasmModule } from '../../wasm/index.ts';
import type { OperatorSettings } from '../config/index.ts';
import { createIdlePolicy, OperatorLifecycle, type IdlePolicy, type Phase } from '../lifecycle/index.ts';
import { WorkQueue, type ReconcileResult } from '../queue/index.ts';
import { requestKey, type ReconcileRequest } from '../reconcile-request.ts';
import { EventRouter } from '../router/index.ts';
import type { HostServices } from './host-services.ts';
import { OperatorCaches } from './operator-caches.ts';
import { operatorServices } from './operator-services.ts';
import { OperatorStateFile, settingsDigest } from './operator-state-file.ts';
import type { TimerHandle } from './host-clock.ts';

/** What the status, metrics and the memory budget read about an operator. */
export interface OperatorReport {
  name: string;
  phase: Phase;
  moduleDigest: string;
  wakeUps: number;
  reconciles: number;
  failures: number;
  suspensions: number;
  lastError?: string;
  residentBytes: number;
  snapshotBytes: number;
  queued: number;
  lastActiveMs: number;
  pinned: boolean;
}

export class OperatorRunner {
  /** `namespace/name`: the operator's identity in logs, snapshots and metrics. */
  readonly name: string;
  readonly settings: OperatorSettings;
  readonly module: WasmModule;
  readonly #host: HostServices;
  readonly #logger: Logger;
  readonly #lifecycle: OperatorLifecycle;
  readonly #queue: WorkQueue<ReconcileRequest>;
  readonly #policy: IdlePolicy;
  readonly #router: EventRouter;
  readonly #caches: OperatorCaches;
  readonly #session: AbiSession;
  readonly #stateFile: OperatorStateFile;
  readonly #settingsDigest: string;
  #subscriptions: InformerSubscription[] = [];
  #instance: WasmInstance | undefined;
  #snapshotBytes = 0;
  #pumping: Promise<void> | undefined;
  #again = false;
  #prefetch = false;
  #suspendRequested = false;
  #stopping = false;
  #idleCheckAtMs: number | undefined;
  #timer: { atMs: number; handle: TimerHandle } | undefined;

  private constructor(settings: OperatorSettings, module: WasmModule, host: HostServices, queue: WorkQueue<ReconcileRequest>, initial: Phase) {
    this.name = `${settings.namespace}/${settings.name}`;
    this.settings = settings;
    this.module = module;
    this.#host = host;
    this.#logger = host.logger.child({ operator: this.name });
    this.#lifecycle = new OperatorLifecycle(this.name, host.clock, undefined, initial);
    this.#queue = queue;
    this.#policy = createIdlePolicy(settings.idlePolicy);
    this.#router = new EventRouter(settings, { isNamespaced: (apiVersion, kind) => host.mapper.lookup(apiVersion, kind)?.namespaced ?? true });
    this.#caches = new OperatorCaches(this.name);
    this.#stateFile = new OperatorStateFile(host.stateDirectory, this.name);
    this.#settingsDigest = settingsDigest(module.digest, settings);
    const services = operatorServices({
      operator: settings,
      permissions: settings.permissions,
      kube: host.kube,
      caches: this.#caches,
      logger: this.#logger,
      requestTimeoutMs: settings.reconcileTimeoutMs,
      onRequest: (outcome) => host.metrics?.guestRequest(this.name, outcome),
      ...(settings.serviceAccountName === undefined ? {} : { serviceAccountName: settings.serviceAccountName }),
    });
    this.#session = new AbiSession(services, () => {
      const instance = this.#instance;
      if (instance === undefined) throw new Error(`operator "${this.name}" has no live instance`);
      return { read: (ptr, len) => instance.readBytes(ptr, len), write: (ptr, bytes) => instance.writeBytes(ptr, bytes) };
    });
  }

  /**
   * Prepares an operator: resumes it from disk (suspended, with its pending timers) when its
   * state file and snapshots match this module and these settings, else starts it cold.
   */
  static async create(settings: OperatorSettings, module: WasmModule, host: HostServices): Promise<OperatorRunner> {
    const name = `${settings.namespace}/${settings.name}`;
    const stateFile = new OperatorStateFile(host.stateDirectory, name);
    const saved = await stateFile.read();
    const digest = settingsDigest(module.digest, settings);
    const queueOptions = { clock: host.clock, keyOf: requestKey };
    const resumable = saved !== undefined && saved.settingsDigest === digest && (await host.snapshots.sizeBytes(name)) > 0;
    if (!resumable) {
      await host.snapshots.remove(name);
      await stateFile.remove();
      return new OperatorRunner(settings, module, host, new WorkQueue(queueOptions), 'cold');
    }
    const elapsedMs = Math.max(0, host.clock.wallNow() - saved.savedAtMs);
    const runner = new OperatorRunner(settings, module, host, WorkQueue.restore(saved.queue, queueOptions, elapsedMs), 'suspended');
    runner.#snapshotBytes = await host.snapshots.sizeBytes(name);
    return runner;
  }

  /** Subscribes to the informers it needs and waits for their first lists; then loads it once (init + base snapshot) if cold. */
  async start(): Promise<void> {
    for (const source of this.#router.sources()) {
      const resource = await this.#host.mapper.resolve(source.apiVersion, source.kind);
      const subscription = this.#host.informers.subscribe(
        { resource, ...(source.namespace === undefined ? {} : { namespace: source.namespace }), ...(source.labelSelector === undefined ? {} : { labelSelector: source.labelSelector }) },
        (event) => this.#onEvent(source.apiVersion, source.kind, event),
      );
      this.#subscriptions.push(subscription);
      this.#caches.add(source.apiVersion, source.kind, { namespace: source.namespace, labelSelector: source.labelSelector, informer: subscription.informer });
    }
    await Promise.all(this.#subscriptions.map((s) => s.informer.synced()));
    this.#logger.log('info', 'operator.started', { phase: this.#lifecycle.phase, module: this.module.digest, watches: this.#subscriptions.length });
    this.#kick();
  }

  /** Stops taking work, waits for the call in flight, snapshots a warm instance, saves pending work and releases informers. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#timer?.handle.cancel();
    this.#timer = undefined;
    await this.#pumping;
    if (this.#instance !== undefined) await this.#suspend();
    await this.#saveState();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
    this.#caches.clear();
    this.#logger.log('info', 'operator.stopped', { phase: this.#lifecycle.phase });
  }

  /** Asks it to suspend at its next idle moment (the memory budget's request); no-op unless warm. */
  requestSuspend(): void {
    if (this.#instance === undefined) return;
    this.#suspendRequested = true;
    this.#kick();
  }

  /** True while it is loading, inside a call or suspending. */
  get busy(): boolean {
    return this.#pumping !== undefined;
  }

  /** Resolves once nothing is queued as due and no call is in flight (tests and shutdown use it). */
  async settled(): Promise<void> {
    while (this.#pumping !== undefined) await this.#pumping;
  }

  report(): OperatorReport {
    const counters = this.#lifecycle.counters;
    return {
      name: this.name,
      phase: this.#lifecycle.phase,
      moduleDigest: this.module.digest,
      wakeUps: counters.wakeUps,
      reconciles: counters.calls,
      failures: counters.failures,
      suspensions: counters.suspensions,
      ...(this.#lifecycle.lastError === undefined ? {} : { lastError: this.#lifecycle.lastError }),
      residentBytes: this.#instance?.residentBytes ?? 0,
      snapshotBytes: this.#snapshotBytes,
      queued: this.#queue.size,
      lastActiveMs: this.#lifecycle.lastActiveMs,
      pinned: this.settings.idlePolicy.kind === 'never',
    };
  }

  #onEvent(apiVersion: string, kind: string, event: InformerEvent): void {
    if (event.type === 'relisted') {
      // The watch expired and the cache was rebuilt: any object may have changed unseen.
      for (const watch of this.settings.watches) {
        if (watch.apiVersion !== apiVersion || watch.kind !== kind) continue;
        for (const object of this.#caches.list(apiVersion, kind, watch.namespace)) this.#enqueue(this.#router.route({ apiVersion, kind, type: 'added', object }));
      }
      return;
    }
    const requests = this.#router.route({
      apiVersion,
      kind,
      type: event.type,
      object: event.object,
      ...(event.type === 'updated' ? { oldObject: event.old as KubeObject } : {}),
    });
    this.#enqueue(requests);
  }

  #enqueue(requests: readonly ReconcileRequest[]): void {
    if (requests.length === 0) return;
    this.#policy.observe({ kind: 'arrival', atMs: this.#host.clock.now() });
    for (const request of requests) this.#queue.add(request);
    this.#kick();
  }

  #kick(): void {
    if (this.#stopping) return;
    if (this.#pumping !== undefined) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      this.#arm();
    });
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#again = false;
        if (this.#lifecycle.phase === 'cold' || this.#prefetch) {
          this.#prefetch = false;
          await this.#wake();
        }
        while (!this.#stopping && this.#queue.hasReady()) {
          if (!(await this.#wake())) break;
          const request = this.#queue.take();
          if (request === undefined) break;
          await this.#reconcile(request);
        }
        if (!this.#stopping) await this.#whenIdle();
      } while (this.#again && !this.#stopping);
    } catch (err) {
      // Every guest and I/O failure is handled where it happens; reaching here is a host bug.
      this.#logger.log('error', 'operator.pump.failed', { error: err });
    }
  }

  /** Makes sure a live instance exists; false while failed and waiting out its crash-loop delay. */
  async #wake(): Promise<boolean> {
    if (this.#instance !== undefined) return true;
    const phase = this.#lifecycle.phase;
    if (phase === 'failed' && (this.#lifecycle.retryAtMs === undefined || this.#host.clock.now() < this.#lifecycle.retryAtMs)) return false;
    this.#lifecycle.apply('load');
    const startedMs = this.#host.clock.now();
    try {
      const restored = phase === 'cold' ? undefined : await this.#restore();
      this.#instance = restored ?? (await this.#host.loads.run(() => this.#coldStart()));
      this.#lifecycle.apply('loaded');
      const durationMs = this.#host.clock.now() - startedMs;
      if (restored !== undefined) this.#policy.observe({ kind: 'restored', durationMs });
      this.#host.metrics?.wake(this.name, restored !== undefined ? 'restore' : 'cold', durationMs);
      this.#logger.log('debug', 'operator.woke', { from: restored !== undefined ? 'snapshot' : 'cold', ms: round(durationMs) });
      this.#host.onResidentChange();
      return true;
    } catch (err) {
      this.#instance?.drop();
      this.#instance = undefined;
      this.#lifecycle.apply('loadFailed', err);
      this.#logger.log('error', 'operator.load.failed', { error: err, retryInMs: this.#retryInMs() });
      return false;
    }
  }

  async #restore(): Promise<WasmInstance | undefined> {
    try {
      return await this.#host.engine.restore(this.module, this.#host.snapshots, { ...this.#instanceOptions(), abiVersion });
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      // Never restore a snapshot that fails its checks; the events are still queued, so starting cold loses nothing.
      this.#logger.log('warn', 'operator.snapshot.refused', { error: err });
      await this.#host.snapshots.remove(this.name);
      this.#snapshotBytes = 0;
      return undefined;
    }
  }

  async #coldStart(): Promise<WasmInstance> {
    const timeoutMs = this.settings.reconcileTimeoutMs;
    const instance = await this.#host.engine.instantiate(this.module, this.#instanceOptions(), { timeoutMs });
    this.#instance = instance;
    await checkAbiVersion(instance, timeoutMs);
    const init = { abiVersion, operator: { name: this.settings.name, namespace: this.settings.namespace }, config: this.settings.config };
    const result = await callWithPayload(instance, this.#session, 'wo_init', init, timeoutMs);
    if (result.kind === 'failed') throw new Error(`init failed: ${result.message}`);
    // The post-init image: later cold starts restore it instead of running init again.
    const { sizeBytes } = await this.#host.engine.snapshot(instance, this.#host.snapshots, 'base', { abiVersion });
    this.#snapshotBytes = sizeBytes;
    await this.#saveState();
    return instance;
  }

  async #reconcile(request: ReconcileRequest): Promise<void> {
    const instance = this.#instance!;
    this.#lifecycle.apply('callStarted');
    const startedMs = this.#host.clock.now();
    let result: ReconcileResult;
    try {
      result = toReconcileResult(await callWithPayload(instance, this.#session, 'wo_reconcile', request, this.settings.reconcileTimeoutMs));
      this.#lifecycle.apply('callFinished');
    } catch (err) {
      instance.drop();
      this.#instance = undefined;
      this.#lifecycle.apply('trapped', err);
      this.#host.onResidentChange();
      this.#logger.log('error', 'operator.trapped', { request: requestKey(request), error: err, retryInMs: this.#retryInMs() });
      result = { kind: 'failed', error: err instanceof Error ? err : new Error(String(err)), terminal: false };
    }
    const delayMs = this.#queue.complete(request, result);
    const durationMs = this.#host.clock.now() - startedMs;
    this.#host.metrics?.reconcile(this.name, result.kind, durationMs);
    this.#logger.log(result.kind === 'failed' ? 'warn' : 'debug', 'operator.reconciled', {
      request: requestKey(request),
      result: result.kind,
      ms: round(durationMs),
      ...(result.kind === 'failed' ? { error: result.error } : {}),
      ...(delayMs === undefined ? {} : { againInMs: round(delayMs) }),
    });
  }

  async #whenIdle(): Promise<void> {
    this.#idleCheckAtMs = undefined;
    if (this.#instance === undefined || this.#lifecycle.phase !== 'warm') return;
    const nextDueAtMs = this.#queue.nextDueAtMs();
    const decision = this.#suspendRequested
      ? ({ kind: 'suspend' } as const)
      : this.#policy.whenIdle({ nowMs: this.#host.clock.now(), idleSinceMs: this.#lifecycle.lastActiveMs, ...(nextDueAtMs === undefined ? {} : { nextDueAtMs }) });
    if (decision.kind === 'suspend') await this.#suspend();
    else this.#idleCheckAtMs = decision.untilMs;
  }

  async #suspend(): Promise<void> {
    const instance = this.#instance;
    if (instance === undefined) return;
    this.#suspendRequested = false;
    this.#lifecycle.apply('suspend');
    const startedMs = this.#host.clock.now();
    try {
      const { sizeBytes } = await this.#host.engine.suspend(instance, this.#host.snapshots, { abiVersion });
      this.#instance = undefined;
      this.#snapshotBytes = await this.#host.snapshots.sizeBytes(this.name).catch(() => sizeBytes);
      this.#lifecycle.apply('suspended');
      const durationMs = this.#host.clock.now() - startedMs;
      this.#policy.observe({ kind: 'suspended', durationMs });
      this.#host.metrics?.suspend(this.name, durationMs);
      this.#logger.log('debug', 'operator.suspended', { ms: round(durationMs), snapshotBytes: sizeBytes });
      await this.#saveState();
      this.#host.onResidentChange();
    } catch (err) {
      // The instance is intact and stays resident; nothing is lost, we only keep paying its memory.
      this.#lifecycle.apply('suspendFailed', err);
      this.#logger.log('warn', 'operator.suspend.failed', { error: err });
    }
  }

  async #saveState(): Promise<void> {
    try {
      await this.#stateFile.write({ settingsDigest: this.#settingsDigest, queue: this.#queue.state(), savedAtMs: this.#host.clock.wallNow() });
    } catch (err) {
      this.#logger.log('warn', 'operator.state.unsaved', { path: this.#stateFile.path, error: err });
    }
  }

  /** Sets the one timer that wakes the pump: the next due key, the idle re-check, or the end of a crash-loop delay. */
  #arm(): void {
    if (this.#stopping) return;
    const now = this.#host.clock.now();
    const candidates: { atMs: number; prefetch: boolean }[] = [];
    const due = this.#queue.nextDueAtMs();
    if (due !== undefined) {
      const phase = this.#lifecycle.phase;
      if (phase === 'failed') candidates.push({ atMs: Math.max(due, this.#lifecycle.retryAtMs ?? Infinity), prefetch: false });
      else if (phase === 'suspended') {
        const wakeAt = this.#policy.wakeAtMs(due);
        candidates.push({ atMs: wakeAt, prefetch: wakeAt < due });
      } else candidates.push({ atMs: due, prefetch: false });
    }
    if (this.#idleCheckAtMs !== undefined) candidates.push({ atMs: this.#idleCheckAtMs, prefetch: false });
    const next = candidates.filter((c) => Number.isFinite(c.atMs)).sort((a, b) => a.atMs - b.atMs)[0];
    if (this.#timer !== undefined && next !== undefined && this.#timer.atMs === next.atMs) return;
    this.#timer?.handle.cancel();
    this.#timer = undefined;
    if (next === undefined) return;
    const atMs = Math.max(next.atMs, now);
    this.#timer = {
      atMs: next.atMs,
      handle: this.#host.clock.at(atMs, () => {
        this.#timer = undefined;
        if (next.prefetch) this.#prefetch = true;
        this.#kick();
      }),
    };
  }

  #instanceOptions() {
    return {
      operator: this.name,
      imports: this.#session.imports(),
      wasi: {
        args: [this.settings.name, ...this.settings.args],
        env: this.settings.env,
        log: (stream: 'stdout' | 'stderr', line: string) => this.#logger.log(stream === 'stderr' ? 'warn' : 'info', 'guest.output', { stream, line }),
      },
    };
  }

  #retryInMs(): number | undefined {
    const at = this.#lifecycle.retryAtMs;
    return at === undefined ? undefined : round(at - this.#host.clock.now());
  }
}

function toReconcileResult(result: GuestResult): ReconcileResult {
  switch (result.kind) {
    case 'done':
      return result;
    case 'requeueAfter':
      return result;
    case 'failed':
      return { kind: 'failed', error: new Error(result.message), terminal: result.terminal };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

