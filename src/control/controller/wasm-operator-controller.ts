/**
 * The WasmOperator controller: runs, in the host, every WasmOperator custom resource it
 * watches (all namespaces, or a given set), and reports on each through its status.
 *
 * Data flow: WasmOperator informer -> work queue (keys, dedup, backoff) -> reconcile (finalizer,
 * validation, `host.apply` / `host.remove`) -> `StatusReporter` (conditions, figures, events).
 *
 * Guarantees:
 * - Each WasmOperator gets the finalizer `wasm-operator.dev/cleanup` before it runs, so its
 *   deletion waits until the host has stopped it and removed its snapshots and state.
 * - A spec is applied once per generation; status writes and metadata changes that keep the
 *   generation never re-fetch or restart a module.
 * - An invalid spec or module is refused with a condition and an Event, never an exception
 *   out of the controller; the previous generation, if one runs, keeps running.
 * - Module sources are fetched by the host, which retries failures with backoff.
 * - `file` modules are refused unless a module directory was given, and must lie inside it:
 *   a WasmOperator must not make the host read arbitrary files of its own.
 */
import path from 'node:path';
import { describeError, WasmOperatorError } from '../../errors.ts';
import { InformerRegistry, objectKey, objectPath, type ApiResource, type InformerEvent, type InformerSubscription, type KubeClient, type KubeObject } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import {
  group,
  InvalidOperatorError,
  parseWasmOperator,
  systemHostClock,
  version,
  wasmOperatorKind,
  WorkQueue,
  type Host,
  type HostClock,
  type ReconcileResult,
  type WasmOperatorStatus,
} from '../../runtime/index.ts';
import { plural } from '../wasm-operator-crd.ts';
import type { EventRecorder, EventSubject } from './event-recorder.ts';
import type { ApplyAttempt } from './operator-status.ts';
import { StatusReporter, type StatusReporterOptions, type TrackedOperator } from './status-reporter.ts';

/** Held on every WasmOperator the host runs, until its state on disk is removed. */
export const cleanupFinalizer = 'wasm-operator.dev/cleanup';

/** The WasmOperator resource, known without discovery (the CRD is ours). */
export const wasmOperatorResource: ApiResource = { group, version, resource: plural, kind: wasmOperatorKind, namespaced: true, verbs: [] };

export interface WasmOperatorControllerOptions {
  kube: KubeClient;
  host: Host;
  logger: Logger;
  events: EventRecorder;
  /** Watch only these namespaces; all when absent or empty. */
  namespaces?: readonly string[];
  /** Where `spec.module.file` paths are resolved; such modules are refused without it. */
  moduleDirectory?: string;
  /** How often statuses are recomputed (default 1 s); writes are rate-limited separately. */
  statusCheckMs?: number;
  status?: Pick<StatusReporterOptions, 'refreshMs' | 'minIntervalMs' | 'writes' | 'onWrite'>;
  /** Reconciles in flight at once (default 8): starting an operator mostly waits on the API server (its module, its informers' first lists), so several overlap. */
  workers?: number;
  clock?: HostClock;
}

interface Tracked extends TrackedOperator {
  uid: string | undefined;
}

interface WasmOperatorObject extends KubeObject {
  metadata: { name: string; namespace: string; uid?: string; generation?: number; resourceVersion?: string; deletionTimestamp?: string; finalizers?: string[] };
  status?: WasmOperatorStatus;
}

export class WasmOperatorController {
  readonly #options: WasmOperatorControllerOptions;
  readonly #host: Host;
  readonly #logger: Logger;
  readonly #clock: HostClock;
  readonly #informers: InformerRegistry;
  readonly #subscriptions: InformerSubscription[] = [];
  readonly #queue: WorkQueue<string>;
  readonly #reporter: StatusReporter;
  readonly #tracked = new Map<string, Tracked>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #workers: number;
  #timer: { atMs: number; cancel(): void } | undefined;
  #statusTimer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  constructor(options: WasmOperatorControllerOptions) {
    this.#options = options;
    this.#host = options.host;
    this.#logger = options.logger.child({ controller: 'wasmoperator' });
    this.#clock = options.clock ?? systemHostClock;
    this.#workers = options.workers ?? 8;
    this.#informers = new InformerRegistry(options.kube, { logger: options.logger });
    this.#queue = new WorkQueue<string>({ clock: this.#clock, keyOf: (key) => key });
    this.#reporter = new StatusReporter({ kube: options.kube, resource: wasmOperatorResource, logger: this.#logger, events: options.events, ...options.status });
  }

  /** Starts watching and reconciling; `synced()` tells when the first lists are in. */
  start(): void {
    const namespaces = this.#options.namespaces?.length ? this.#options.namespaces : [undefined];
    for (const namespace of namespaces) {
      this.#subscriptions.push(this.#informers.subscribe({ resource: wasmOperatorResource, ...(namespace === undefined ? {} : { namespace }) }, (event) => this.#onEvent(event)));
    }
    const checkMs = this.#options.statusCheckMs ?? 1_000;
    this.#statusTimer = setInterval(() => void this.#checkStatus(), checkMs);
    this.#statusTimer.unref();
    this.#logger.log('info', 'controller.started', { namespaces: this.#options.namespaces?.length ? this.#options.namespaces.join(',') : '(all)' });
  }

  /** Resolves once every watched namespace has been listed. */
  async synced(): Promise<void> {
    await Promise.all(this.#subscriptions.map((s) => s.informer.synced()));
  }

  /** Health of the controller's own watches (for /readyz and metrics). */
  health() {
    return this.#informers.health();
  }

  /** Stops watching and waits for reconciles in flight; the host's operators keep running (stop the host for that). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    if (this.#statusTimer !== undefined) clearInterval(this.#statusTimer);
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    await Promise.all(this.#inflight);
    await this.#informers.stop();
    await this.#options.events.flush();
  }

  /** Computes statuses now and writes what is due (tests and shutdown use it; a timer does it every `statusCheckMs`). */
  async checkStatus(): Promise<void> {
    await this.#checkStatus();
  }

  #onEvent(event: InformerEvent): void {
    if (event.type === 'relisted') {
      for (const subscription of this.#subscriptions) for (const object of subscription.informer.list()) this.#queue.add(objectKey(refOfObject(object)));
      // Deleted while the watch was down: no event said so.
      for (const key of this.#tracked.keys()) this.#queue.add(key);
    } else if (event.type !== 'updated' || needsReconcile(event.old as WasmOperatorObject, event.object as WasmOperatorObject)) {
      this.#queue.add(objectKey(refOfObject(event.object)));
    }
    this.#pump();
  }

  #pump(): void {
    if (this.#stopped) return;
    while (this.#inflight.size < this.#workers && this.#queue.hasReady()) {
      const key = this.#queue.take();
      if (key === undefined) break;
      const running = this.#reconcile(key)
        .catch((err: unknown): ReconcileResult => ({ kind: 'failed', error: err instanceof Error ? err : new Error(String(err)), terminal: false }))
        .then((result) => {
          const delayMs = this.#queue.complete(key, result);
          if (result.kind === 'failed') this.#logger.log('warn', 'controller.reconcile.failed', { operator: key, error: result.error, retryInMs: delayMs });
        })
        .finally(() => {
          this.#inflight.delete(running);
          this.#pump();
        });
      this.#inflight.add(running);
    }
    this.#arm();
  }

  #arm(): void {
    const due = this.#queue.nextDueAtMs();
    if (due === undefined || this.#stopped || (this.#timer !== undefined && this.#timer.atMs <= due)) return;
    this.#timer?.cancel();
    const handle = this.#clock.at(due, () => {
      this.#timer = undefined;
      this.#pump();
    });
    this.#timer = { atMs: due, cancel: () => handle.cancel() };
  }

  async #reconcile(key: string): Promise<ReconcileResult> {
    const slash = key.indexOf('/');
    const ref = { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    const object = this.#find(ref) as WasmOperatorObject | undefined;
    const tracked = this.#tracked.get(key);
    if (object === undefined || object.metadata.deletionTimestamp !== undefined) {
      if (tracked !== undefined || object?.metadata.finalizers?.includes(cleanupFinalizer)) {
        await this.#host.remove(key, { purgeState: true });
        this.#tracked.delete(key);
        this.#reporter.forget(key);
        if (object !== undefined) this.#options.events.record(subjectOf(object), 'Normal', 'Removed', 'the operator was stopped and its snapshots and state were removed');
      }
      if (object !== undefined) await this.#removeFinalizer(object);
      return { kind: 'done' };
    }
    if (tracked !== undefined && tracked.uid !== object.metadata.uid) {
      // Deleted and created again under the same name while we were not looking: start afresh.
      await this.#host.remove(key, { purgeState: true });
      this.#tracked.delete(key);
    }
    if (!object.metadata.finalizers?.includes(cleanupFinalizer)) await this.#addFinalizer(object);
    const generation = object.metadata.generation ?? 0;
    const current = this.#tracked.get(key);
    if (current !== undefined && current.attempt.generation === generation) {
      current.status = object.status;
      return { kind: 'done' };
    }
    const attempt = await this.#apply(key, object, generation);
    this.#tracked.set(key, { subject: subjectOf(object), status: object.status, attempt, uid: object.metadata.uid });
    if (attempt.kind === 'refused') this.#logger.log('warn', 'controller.refused', { operator: key, generation, reason: attempt.reason, error: attempt.message });
    void this.#checkStatus();
    return { kind: 'done' };
  }

  async #apply(key: string, object: WasmOperatorObject, generation: number): Promise<ApplyAttempt> {
    const where = `${wasmOperatorKind} "${key}"`;
    try {
      const operator = parseWasmOperator(object, where);
      const baseDir = this.#moduleDirectoryFor(operator.spec.module.file, where);
      await this.#host.apply(operator, { baseDir });
      this.#logger.log('info', 'controller.applied', { operator: key, generation });
      return { kind: 'applied', generation };
    } catch (err) {
      if (!(err instanceof WasmOperatorError)) throw err;
      return { kind: 'refused', generation, reason: err.code === 'INVALID_OPERATOR' ? 'InvalidSpec' : 'ModuleInvalid', message: describeError(err) };
    }
  }

  #moduleDirectoryFor(file: string | undefined, where: string): string {
    const directory = this.#options.moduleDirectory;
    if (file === undefined) return directory ?? '/';
    if (directory === undefined) throw new InvalidOperatorError(where, [`${where}: spec.module.file: Forbidden: module files are for local mode (\`run -f\`); in a cluster use \`configMap\` or \`url\` (or start the host with --module-dir)`]);
    const resolved = path.resolve(directory, file);
    if (resolved !== directory && !resolved.startsWith(`${path.resolve(directory)}${path.sep}`)) {
      throw new InvalidOperatorError(where, [`${where}: spec.module.file: Forbidden: "${file}" is outside the module directory ${directory}`]);
    }
    return directory;
  }

  #find(ref: { namespace: string; name: string }): KubeObject | undefined {
    for (const subscription of this.#subscriptions) {
      const found = subscription.informer.get(ref);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async #addFinalizer(object: WasmOperatorObject): Promise<void> {
    await this.#patchFinalizers(object, [...(object.metadata.finalizers ?? []), cleanupFinalizer]);
  }

  async #removeFinalizer(object: WasmOperatorObject): Promise<void> {
    const finalizers = object.metadata.finalizers ?? [];
    if (!finalizers.includes(cleanupFinalizer)) return;
    await this.#patchFinalizers(object, finalizers.filter((f) => f !== cleanupFinalizer));
  }

  /** A merge patch guarded by the resourceVersion read: a conflict fails the reconcile, which is retried on the newer object. */
  async #patchFinalizers(object: WasmOperatorObject, finalizers: string[]): Promise<void> {
    const response = await this.#options.kube.request({
      method: 'PATCH',
      path: objectPath(wasmOperatorResource, { namespace: object.metadata.namespace, name: object.metadata.name }),
      body: { metadata: { finalizers, resourceVersion: object.metadata.resourceVersion } },
      contentType: 'application/merge-patch+json',
    });
    if (response.status === 404) return;
    if (!response.ok) throw new Error(`updating the finalizers of ${wasmOperatorKind} "${object.metadata.namespace}/${object.metadata.name}" answered ${response.status}: ${response.text.slice(0, 300)}`);
  }

  async #checkStatus(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#reporter.check(this.#tracked, this.#host);
    } catch (err) {
      this.#logger.log('error', 'status.check.failed', { error: err });
    }
  }
}

/** Status-only writes (ours) keep the generation: they need no reconcile. */
function needsReconcile(before: WasmOperatorObject, after: WasmOperatorObject): boolean {
  return (
    before.metadata.generation !== after.metadata.generation ||
    before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp ||
    before.metadata.uid !== after.metadata.uid ||
    JSON.stringify(before.metadata.finalizers ?? []) !== JSON.stringify(after.metadata.finalizers ?? [])
  );
}

function refOfObject(object: KubeObject): { namespace: string; name: string } {
  return { namespace: object.metadata?.namespace ?? 'default', name: object.metadata?.name ?? '' };
}

function subjectOf(object: WasmOperatorObject): EventSubject {
  return {
    apiVersion: `${group}/${version}`,
    kind: wasmOperatorKind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    ...(object.metadata.uid === undefined ? {} : { uid: object.metadata.uid }),
    ...(object.metadata.resourceVersion === undefined ? {} : { resourceVersion: object.metadata.resourceVersion }),
  };
}
