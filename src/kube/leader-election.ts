/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's `leaderelection` does it:
 * several replicas of the host compete for one Lease, one holds it and renews it, the others
 * wait, and when the holder stops renewing another takes over once the lease has expired.
 *
 * Guarantees:
 * - A candidate takes a lease held by another only after it has seen the lease unchanged for
 *   the holder's `leaseDurationSeconds`, measured on its own clock (never by comparing its
 *   clock with the holder's `renewTime`, so clock skew between machines does not matter).
 * - Every write is a compare-and-swap on the lease's resourceVersion: of two candidates that
 *   race, one write fails with 409 and that candidate stays a follower.
 * - A leader that has not renewed for `renewDeadlineMs` (shorter than the lease duration)
 *   steps down by itself, so it stops acting before anyone else may take over.
 * Assumption: the leader acts only while `isLeader` (between `onStartedLeading` and
 * `onStoppedLeading`); a leader whose process freezes longer than the difference between the
 * lease duration and the renew deadline can overlap with its successor, as with client-go.
 */
import { sleep, systemClock, type Clock } from './clock.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import type { KubeClient } from './rest-client.ts';

/** The Lease's spec fields the election reads and writes. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime (RFC 3339 with microseconds), as the API server stores it. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** What a candidate should do about a lease, given when it last saw the lease change. */
export type LeaseDecision =
  | { kind: 'held'; holder: string; expiresAtMs: number }
  | { kind: 'take'; spec: LeaseSpec };

/**
 * Pure core of the election. `observedAtMs` is when this candidate last saw `current` change
 * (on its own clock); the lease is valid until then plus the holder's own lease duration.
 * A lease with no holder (released) is free at once.
 */
export function decideLease(current: LeaseSpec | undefined, observedAtMs: number, nowMs: number, identity: string, leaseDurationMs: number): LeaseDecision {
  const holder = current?.holderIdentity ?? '';
  if (holder !== '' && holder !== identity) {
    const expiresAtMs = observedAtMs + (current?.leaseDurationSeconds ?? 0) * 1_000;
    if (expiresAtMs > nowMs) return { kind: 'held', holder, expiresAtMs };
  }
  const now = microTime(nowMs);
  const renewing = holder === identity;
  return {
    kind: 'take',
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1_000)),
      acquireTime: renewing ? (current?.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: (current?.leaseTransitions ?? 0) + (renewing || current === undefined ? 0 : 1),
    },
  };
}

/** `2024-05-01T10:00:00.123000Z`: metav1.MicroTime's wire form (six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export interface LeaderElectionOptions {
  /** Where the Lease lives. */
  namespace: string;
  name: string;
  /** This candidate, unique among the replicas (a pod name, or host name and pid). */
  identity: string;
  /** How long followers wait after the last renewal they saw before taking over; default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it steps down; default 10 s (under the lease duration). */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew; default 2 s. */
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: KubeLogger;
  random?: () => number;
}

export interface LeaderCallbacks {
  /** This candidate now leads: start the work. */
  onStartedLeading(): void;
  /** It no longer leads (lost the lease, or stopped): stop the work at once. */
  onStoppedLeading(): void;
  /** Another holder was seen (or this one), for logs and metrics. */
  onNewLeader?(identity: string): void;
}

interface LeaseObject {
  metadata?: { resourceVersion?: string };
  spec?: LeaseSpec;
}

/** One candidate in the election of one Lease. */
export class LeaderElector {
  readonly #kube: KubeClient;
  readonly #namespace: string;
  readonly #name: string;
  readonly identity: string;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #clock: Clock;
  readonly #logger: KubeLogger;
  readonly #jitter: () => number;
  readonly #abort = new AbortController();
  #observed: { spec: LeaseSpec | undefined; json: string; atMs: number } = { spec: undefined, json: '', atMs: 0 };
  #leader: string | undefined;
  #isLeader = false;
  #running: Promise<void> | undefined;

  constructor(kube: KubeClient, options: LeaderElectionOptions) {
    this.#kube = kube;
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.identity = options.identity;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.#retryPeriodMs < this.#renewDeadlineMs && this.#renewDeadlineMs < this.#leaseDurationMs)) {
      throw new RangeError(`leader election needs retry period < renew deadline < lease duration, got ${this.#retryPeriodMs} ms, ${this.#renewDeadlineMs} ms, ${this.#leaseDurationMs} ms`);
    }
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    // Followers retry between 1x and 1.2x the period (client-go's JitterFactor 1.2), so replicas drift apart.
    const random = options.random ?? Math.random;
    this.#jitter = () => this.#retryPeriodMs * (1 + 0.2 * random());
  }

  /** True between `onStartedLeading` and `onStoppedLeading`. */
  get isLeader(): boolean {
    return this.#isLeader;
  }

  /** The holder last seen, if any. */
  get leader(): string | undefined {
    return this.#leader;
  }

  /** The Lease's path. */
  get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.#namespace)}/leases/${encodeURIComponent(this.#name)}`;
  }

  /** Competes (and leads, when elected) until `stop()`: leading again after a loss if it wins again. */
  start(callbacks: LeaderCallbacks): void {
    if (this.#running !== undefined) throw new Error(`leader election for lease ${this.#namespace}/${this.#name} was already started`);
    this.#running = this.#run(callbacks).catch((err: unknown) => {
      if (!this.#abort.signal.aborted) this.#logger.log('error', 'leader.failed', { lease: this.#name, error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Stops competing; a leader calls `onStoppedLeading` before this resolves. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('leader election stopped'));
    await this.#running;
  }

  /**
   * Empties the lease's holder if it still names this candidate, so a follower takes over at
   * its next attempt instead of waiting for the lease to expire. Call it after `stop()`, once
   * the work has stopped. Never throws (a lease left held simply expires).
   */
  async release(): Promise<void> {
    try {
      const got = await this.#kube.request({ method: 'GET', path: this.path, timeoutMs: this.#renewDeadlineMs });
      const lease = got.body as LeaseObject;
      if (!got.ok || lease.spec?.holderIdentity !== this.identity) return;
      const now = microTime(this.#clock.now());
      await this.#write('PUT', lease, this.#renewDeadlineMs, { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 });
      this.#logger.log('info', 'leader.released', { lease: `${this.#namespace}/${this.#name}`, identity: this.identity });
    } catch (err) {
      this.#logger.log('warn', 'leader.release.failed', { lease: this.#name, error: err instanceof Error ? err.message : String(err) });
    }
  }

  async #run(callbacks: LeaderCallbacks): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      while (!(await this.#tryAcquireOrRenew())) await sleep(this.#clock, this.#jitter(), signal);
      this.#isLeader = true;
      this.#logger.log('info', 'leader.elected', { lease: `${this.#namespace}/${this.#name}`, identity: this.identity });
      callbacks.onNewLeader?.(this.identity);
      callbacks.onStartedLeading();
      try {
        await this.#renewUntilLost(signal);
      } finally {
        this.#isLeader = false;
        // Who leads now is not known until the lease is read again.
        this.#leader = undefined;
        this.#logger.log(signal.aborted ? 'info' : 'warn', 'leader.stopped', { lease: `${this.#namespace}/${this.#name}`, identity: this.identity, reason: signal.aborted ? 'stopping' : 'lease not renewed in time' });
        callbacks.onStoppedLeading();
      }
    }
  }

  /**
   * Renews every retry period. Each renewal round may retry until the renew deadline; a round
   * that ends without success ends the leadership. As in client-go, the deadline counts from
   * the start of the round, so a process that was paused (a long GC, a loaded machine) tries
   * to renew before giving up: the write is a compare-and-swap, so it only succeeds if nobody
   * took the lease meanwhile.
   */
  async #renewUntilLost(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#clock, this.#retryPeriodMs, signal).catch(() => {});
      const roundStartMs = this.#clock.now();
      let renewed = false;
      while (!signal.aborted && !renewed) {
        const leftMs = roundStartMs + this.#renewDeadlineMs - this.#clock.now();
        if (leftMs <= 0) return;
        renewed = await this.#tryAcquireOrRenew(leftMs);
        if (!renewed) await sleep(this.#clock, Math.min(this.#retryPeriodMs, leftMs), signal).catch(() => {});
      }
    }
  }

  /** One round: read the lease and take or renew it if allowed. False when another holds it or a write lost a race. */
  async #tryAcquireOrRenew(timeoutMs = this.#renewDeadlineMs): Promise<boolean> {
    try {
      const got = await this.#kube.request({ method: 'GET', path: this.path, timeoutMs });
      if (got.status === 404) {
        const decision = decideLease(undefined, 0, this.#clock.now(), this.identity, this.#leaseDurationMs);
        return decision.kind === 'take' && (await this.#write('POST', undefined, timeoutMs, decision.spec));
      }
      if (!got.ok) {
        this.#logger.log('warn', 'leader.lease.unreadable', { lease: this.#name, status: got.status, message: got.text.slice(0, 200) });
        return false;
      }
      const lease = got.body as LeaseObject;
      this.#observe(lease.spec);
      const decision = decideLease(lease.spec, this.#observed.atMs, this.#clock.now(), this.identity, this.#leaseDurationMs);
      if (decision.kind === 'held') return false;
      return await this.#write('PUT', lease, timeoutMs, decision.spec);
    } catch (err) {
      this.#logger.log('warn', 'leader.lease.unreachable', { lease: this.#name, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  async #write(method: 'POST' | 'PUT', current: LeaseObject | undefined, timeoutMs: number, next: LeaseSpec): Promise<boolean> {
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#name, namespace: this.#namespace, ...(current?.metadata?.resourceVersion === undefined ? {} : { resourceVersion: current.metadata.resourceVersion }) },
      spec: next,
    };
    const path = method === 'POST' ? this.path.slice(0, this.path.lastIndexOf('/')) : this.path;
    const response = await this.#kube.request({ method, path, body, timeoutMs, idempotent: false });
    if (response.ok) {
      this.#observe(next);
      return true;
    }
    // 409: another candidate wrote first (or the lease was created meanwhile): it leads this round.
    if (response.status !== 409) this.#logger.log('warn', 'leader.lease.unwritable', { lease: this.#name, status: response.status, message: response.text.slice(0, 200) });
    return false;
  }

  #observe(spec: LeaseSpec | undefined): void {
    const json = JSON.stringify(spec ?? {});
    if (json !== this.#observed.json) this.#observed = { spec, json, atMs: this.#clock.now() };
    const holder = spec?.holderIdentity ?? '';
    if (holder !== '' && holder !== this.#leader) {
      this.#leader = holder;
      if (holder !== this.identity) this.#logger.log('info', 'leader.observed', { lease: `${this.#namespace}/${this.#name}`, leader: holder });
    }
  }

}
