/**
 * The host: many wasm operators in one process, sharing one engine, one snapshot store, one
 * Kubernetes client and one informer per watched kind and scope.
 *
 * Guarantees:
 * - A broken operator (a module that does not load, a kind that does not exist yet, a guest
 *   that traps) is reported and retried; it never stops the host or another operator.
 * - Applying an operator whose module and settings are unchanged keeps it as it is; any
 *   change replaces it (the old one is stopped and snapshotted first).
 * - With a memory budget, warm operators are suspended least recently active first whenever
 *   the resident total exceeds it.
 */
import path from 'node:path';
import { providedImports, requiredExports } from '../../abi/index.ts';
import { WasmOperatorError, describeError } from '../../errors.ts';
import { InformerRegistry, RestMapper, type KubeClient } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import { FsSnapshotStore, WasmEngine, collectGarbage, readManifest, type EngineOptions, type SnapshotStore } from '../../wasm/index.ts';
import { parseModuleManifest, resolveOperator, type WasmOperator } from '../config/index.ts';
import { chooseSuspensions } from '../lifecycle/index.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { systemHostClock, type HostClock, type TimerHandle } from './host-clock.ts';
import type { HostMetrics, HostServices } from './host-services.ts';
import { IdleCollector } from './idle-collector.ts';
import { readModuleBytes } from './module-bytes.ts';
import { OperatorRunner, type OperatorReport } from './operator-runner.ts';
import { OperatorStateFile, settingsDigest } from './operator-state-file.ts';

export interface HostOptions {
  kube: KubeClient;
  /** Snapshots and operator state live here; a restarted host resumes from it. */
  stateDirectory: string;
  logger: Logger;
  clock?: HostClock;
  /** Suspend warm operators, least recently active first, to keep their total memory under this. */
  maxResidentBytes?: number;
  metrics?: HostMetrics;
  engine?: EngineOptions;
  /** Replaces the on-disk snapshot store (tests). */
  snapshots?: SnapshotStore;
  /**
   * A memory-reducing garbage collection once no operator has woken or been suspended for
   * `delayMs` (default 1 s; see IdleCollector), or `false` for none.
   */
  idleCollection?: { delayMs: number } | false;
  /**
   * Operator loads (fetching and compiling a module, a cold start) in flight at once (default
   * 2; see ConcurrencyLimit for why few). Restoring a suspended operator is never held back.
   */
  maxConcurrentLoads?: number;
}

/** Where an operator's relative paths (its module file) are resolved from. */
export interface ApplyContext {
  baseDir: string;
}

/**
 * An operator the host could not start, with why. It is retried (at `retryAtMs`) until it
 * starts or is removed, unless `permanent`: a retry found its module or spec invalid, so only
 * a new `apply` can help.
 */
export interface OperatorProblem {
  name: string;
  error: string;
  /** The `WasmOperatorError` code of the failure, when it was one (`MODULE_SOURCE`, `KIND_NOT_FOUND`...). */
  code?: string;
  retryAtMs?: number;
  permanent?: boolean;
}

interface Pending {
  operator: WasmOperator;
  context: ApplyContext;
  error: string;
  code: string | undefined;
  attempts: number;
  /** Absent once a retry found the failure permanent. */
  timer?: TimerHandle;
  retryAtMs?: number;
}

export class Host {
  readonly #services: HostServices;
  readonly #maxResidentBytes: number | undefined;
  readonly #runners = new Map<string, OperatorRunner>();
  readonly #pending = new Map<string, Pending>();
  #collector: IdleCollector | undefined;
  #stopped = false;

  private constructor(services: HostServices, maxResidentBytes: number | undefined) {
    this.#services = services;
    this.#maxResidentBytes = maxResidentBytes;
  }

  static async create(options: HostOptions): Promise<Host> {
    const clock = options.clock ?? systemHostClock;
    const snapshots = options.snapshots ?? (await FsSnapshotStore.open(path.join(options.stateDirectory, 'snapshots')));
    // The memory callback needs the host, and the host needs the services it is given.
    const ref: { residentChanged?: () => void } = {};
    const services: HostServices = {
      // The idle collector also covers what the engine's reclaimer would collect after a suspend.
      engine: new WasmEngine({ reclaimMemory: options.idleCollection === false, ...options.engine }),
      snapshots,
      stateDirectory: path.join(options.stateDirectory, 'operators'),
      kube: options.kube,
      mapper: new RestMapper(options.kube),
      informers: new InformerRegistry(options.kube, { logger: options.logger }),
      clock,
      logger: options.logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      loads: new ConcurrencyLimit(options.maxConcurrentLoads ?? 2),
      onResidentChange: () => ref.residentChanged?.(),
    };
    const host = new Host(services, options.maxResidentBytes);
    if (options.idleCollection !== false) {
      host.#collector = new IdleCollector({
        clock,
        delayMs: options.idleCollection?.delayMs ?? 1_000,
        busy: () => [...host.#runners.values()].some((r) => r.busy),
        collect: collectGarbage,
        logger: options.logger,
      });
    }
    ref.residentChanged = () => host.#residentChanged();
    return host;
  }

  /**
   * Adds the operator, or replaces the one of the same namespace/name when its module or
   * settings changed. Resolves once it runs; if it cannot start yet (its module cannot be
   * fetched, a watched kind does not exist), it is reported by `problems()` and retried.
   * Throws only for an operator that can never run as given (an invalid module or spec).
   */
  async apply(operator: WasmOperator, context: ApplyContext): Promise<void> {
    const name = `${operator.metadata.namespace ?? 'default'}/${operator.metadata.name}`;
    this.#clearPending(name);
    try {
      await this.#start(name, operator, context);
    } catch (err) {
      if (isPermanent(err)) throw err;
      this.#retryLater(name, operator, context, err, 1);
    }
  }

  /**
   * Stops and forgets an operator. Its snapshots and pending work stay on disk for a later
   * apply, unless `purgeState` (its WasmOperator was deleted): then they are removed, also
   * when the operator was not running (state left by an earlier host process).
   */
  async remove(name: string, options: { purgeState?: boolean } = {}): Promise<void> {
    this.#clearPending(name);
    const runner = this.#runners.get(name);
    if (runner !== undefined) {
      this.#runners.delete(name);
      await runner.stop();
    }
    if (options.purgeState === true) {
      await this.#services.snapshots.remove(name);
      await new OperatorStateFile(this.#services.stateDirectory, name).remove();
      this.#services.logger.log('info', 'operator.state.purged', { operator: name });
    }
  }

  /** Every running operator's figures, by name. */
  operators(): OperatorReport[] {
    return [...this.#runners.values()].map((r) => r.report()).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Operators waiting to be started again, with the reason. */
  problems(): OperatorProblem[] {
    return [...this.#pending.entries()].map(([name, p]) => ({
      name,
      error: p.error,
      ...(p.code === undefined ? {} : { code: p.code }),
      ...(p.retryAtMs === undefined ? { permanent: true } : { retryAtMs: p.retryAtMs }),
    }));
  }

  /** The informers' health, for /readyz and metrics. */
  informerHealth() {
    return this.#services.informers.health();
  }

  /** Resolves when every operator has nothing due and no call in flight. */
  async settled(): Promise<void> {
    await Promise.all([...this.#runners.values()].map((r) => r.settled()));
  }

  /** Graceful stop: in-flight reconciles finish, warm operators are snapshotted, pending work is saved. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#collector?.stop();
    for (const name of [...this.#pending.keys()]) this.#clearPending(name);
    await Promise.all([...this.#runners.values()].map((r) => r.stop()));
    this.#runners.clear();
    await this.#services.informers.stop();
  }

  async #start(name: string, operator: WasmOperator, context: ApplyContext): Promise<void> {
    const { logger, kube, engine, loads } = this.#services;
    const namespace = operator.metadata.namespace ?? 'default';
    const { settings, module } = await loads.run(async () => {
      const { bytes, where } = await readModuleBytes(operator.spec.module, { operator: name, namespace, baseDir: context.baseDir, kube });
      const embedded = readManifest(bytes, where);
      const manifest = embedded === undefined ? {} : parseModuleManifest(JSON.stringify(embedded), `${where} (wasm-operator.manifest section)`);
      const resolved = resolveOperator(operator, manifest);
      return { settings: resolved, module: await engine.load(bytes, { source: where, maxMemoryBytes: resolved.memoryLimitBytes, imports: providedImports, requiredExports }) };
    });
    const existing = this.#runners.get(name);
    if (existing !== undefined) {
      if (settingsDigest(existing.module.digest, existing.settings) === settingsDigest(module.digest, settings) && sameRunSettings(existing.settings, settings)) return;
      this.#runners.delete(name);
      await existing.stop();
      logger.log('info', 'operator.replaced', { operator: name, module: module.digest });
    }
    const runner = await OperatorRunner.create(settings, module, this.#services);
    try {
      await runner.start();
    } catch (err) {
      await runner.stop();
      throw err;
    }
    if (this.#stopped) {
      await runner.stop();
      return;
    }
    this.#runners.set(name, runner);
  }

  #retryLater(name: string, operator: WasmOperator, context: ApplyContext, err: unknown, attempts: number): void {
    if (this.#stopped) return;
    const delayMs = Math.min(60_000, 1_000 * 2 ** (attempts - 1));
    const clock = this.#services.clock;
    const retryAtMs = clock.now() + delayMs;
    this.#services.logger.log('warn', 'operator.start.failed', { operator: name, error: err, retryInMs: delayMs, attempts });
    const timer = clock.at(retryAtMs, () => {
      if (this.#pending.get(name)?.timer !== timer) return;
      this.#pending.delete(name);
      this.#start(name, operator, context).catch((retryErr: unknown) => {
        if (!isPermanent(retryErr)) {
          this.#retryLater(name, operator, context, retryErr, attempts + 1);
          return;
        }
        this.#services.logger.log('error', 'operator.invalid', { operator: name, error: retryErr });
        // Kept (without a timer) so that problems() still says why it does not run.
        if (!this.#stopped && !this.#pending.has(name)) this.#pending.set(name, { operator, context, error: describeError(retryErr), code: codeOf(retryErr), attempts: attempts + 1 });
      });
    });
    this.#pending.set(name, { operator, context, error: describeError(err), code: codeOf(err), attempts, timer, retryAtMs });
  }

  #clearPending(name: string): void {
    this.#pending.get(name)?.timer?.cancel();
    this.#pending.delete(name);
  }

  #residentChanged(): void {
    this.enforceBudget();
    this.#collector?.poke();
  }

  /** Asks warm operators to suspend, least recently active first, until the resident total fits the budget. */
  enforceBudget(): void {
    if (this.#maxResidentBytes === undefined) return;
    const reports = this.operators();
    const choice = chooseSuspensions(
      reports.map((r) => ({ name: r.name, phase: r.phase, residentBytes: r.residentBytes, lastActiveMs: r.lastActiveMs, pinned: r.pinned })),
      this.#maxResidentBytes,
    );
    for (const name of choice.suspend) this.#runners.get(name)?.requestSuspend();
    if (!choice.fits) this.#services.logger.log('warn', 'host.memory.over-budget', { residentBytes: choice.residentBytes, budgetBytes: this.#maxResidentBytes });
  }
}

function codeOf(err: unknown): string | undefined {
  return err instanceof WasmOperatorError ? err.code : undefined;
}

/** Errors about the module or spec themselves: retrying cannot help until they change. */
function isPermanent(err: unknown): boolean {
  return err instanceof WasmOperatorError && (err.code.startsWith('MODULE_') && err.code !== 'MODULE_SOURCE' || err.code === 'INVALID_OPERATOR');
}

function sameRunSettings(a: { watches: unknown; owns: unknown; triggers: unknown; permissions: unknown; idlePolicy: unknown; memoryLimitBytes: number; reconcileTimeoutMs: number; resyncPeriodMs?: number; serviceAccountName?: string }, b: typeof a): boolean {
  const pick = (s: typeof a) => JSON.stringify([s.watches, s.owns, s.triggers, s.permissions, s.idlePolicy, s.memoryLimitBytes, s.reconcileTimeoutMs, s.resyncPeriodMs, s.serviceAccountName]);
  return pick(a) === pick(b);
}
