/**
 * Writes WasmOperators' status through the status subresource, sparingly: a host with
 * hundreds of operators, each waking and sleeping with every event, must not turn each wake
 * into an API write.
 *
 * Guarantees:
 * - A meaningful change (a condition, the generation, the module, the error; see
 *   `statusChange`) is written at the next check, at most once per `minIntervalMs` per object.
 * - Figures that move with every event (counts, bytes, warm/suspended) are written only with
 *   a meaningful change or once `refreshMs` has passed since the last write.
 * - Writes of all objects together stay under `writes` (a token bucket); meaningful changes
 *   go first, then the stalest. What does not fit waits for the next check: nothing queues
 *   up, since each check recomputes the latest status (changes coalesce).
 * - Events follow condition transitions: a Warning when `Degraded` becomes True (or changes
 *   reason), a Normal `Running` when the operator starts running a generation.
 */
import { objectPath, TokenBucket, type ApiResource, type KubeClient, type RateLimit } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import { statusSchema, type OperatorProblem, type OperatorReport, type WasmOperatorStatus } from '../../runtime/index.ts';
import type { EventRecorder, EventSubject } from './event-recorder.ts';
import { conditionTime, desiredStatus, statusChange, statusPatch, type ApplyAttempt } from './operator-status.ts';

/** One WasmOperator as the controller last saw it and acted on it. */
export interface TrackedOperator {
  subject: EventSubject;
  /** Its status as read from the API server (another host's writes included). */
  status: WasmOperatorStatus | undefined;
  attempt: ApplyAttempt;
}

export interface StatusReporterOptions {
  kube: KubeClient;
  resource: ApiResource;
  logger: Logger;
  events: EventRecorder;
  /** Default 30 s. */
  refreshMs?: number;
  /** Default 1 s. */
  minIntervalMs?: number;
  /** Default 10 writes/s, bursts of 50: a host starting 50 operators shows them all Ready at once, and 300 busy ones refreshed every 30 s stay under it. */
  writes?: RateLimit;
  /** Wall-clock milliseconds (condition times, intervals). */
  now?: () => number;
  /** Counts each write by outcome (metrics). */
  onWrite?: (outcome: 'written' | 'failed' | 'gone') => void;
}

interface Written {
  status: WasmOperatorStatus | undefined;
  atMs: number;
  /** The status computed at the last check, written or not: transitions and events are judged against it. */
  desired: WasmOperatorStatus | undefined;
  uid: string | undefined;
}

const statusFields = statusSchema.type === 'object' ? Object.keys(statusSchema.fields) : [];

export class StatusReporter {
  readonly #options: StatusReporterOptions;
  readonly #refreshMs: number;
  readonly #minIntervalMs: number;
  readonly #bucket: TokenBucket;
  readonly #now: () => number;
  readonly #written = new Map<string, Written>();
  #checking: Promise<void> | undefined;

  constructor(options: StatusReporterOptions) {
    this.#options = options;
    this.#refreshMs = options.refreshMs ?? 30_000;
    this.#minIntervalMs = options.minIntervalMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#bucket = new TokenBucket(options.writes ?? { qps: 10, burst: 50 }, { now: this.#now, setTimer: () => ({ cancel() {} }) });
  }

  /**
   * Computes every tracked operator's status from the host's figures and writes those that
   * need it. Resolves when this check's writes are done; a check asked for while one runs
   * joins it.
   */
  check(tracked: ReadonlyMap<string, TrackedOperator>, host: { operators(): OperatorReport[]; problems(): OperatorProblem[] }): Promise<void> {
    this.#checking ??= this.#check(tracked, host).finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Forgets an operator (deleted, or no longer this host's). */
  forget(key: string): void {
    this.#written.delete(key);
  }

  async #check(tracked: ReadonlyMap<string, TrackedOperator>, host: { operators(): OperatorReport[]; problems(): OperatorProblem[] }): Promise<void> {
    const reports = new Map(host.operators().map((r) => [r.name, r]));
    const problems = new Map(host.problems().map((p) => [p.name, p]));
    const nowMs = this.#now();
    const due: { key: string; subject: EventSubject; status: WasmOperatorStatus; meaningful: boolean; lastAtMs: number }[] = [];
    for (const [key, operator] of tracked) {
      let written = this.#written.get(key);
      if (written === undefined || written.uid !== operator.subject.uid) {
        written = { status: operator.status, atMs: -Infinity, desired: undefined, uid: operator.subject.uid };
        this.#written.set(key, written);
      }
      const status = desiredStatus({
        attempt: operator.attempt,
        report: reports.get(key),
        problem: problems.get(key),
        previous: written.desired ?? written.status,
        nowIso: conditionTime(nowMs),
      });
      this.#recordTransitions(operator.subject, written.desired, status);
      written.desired = status;
      const change = statusChange(written.status, status);
      if (change === 'meaningful' && nowMs - written.atMs >= this.#minIntervalMs) due.push({ key, subject: operator.subject, status, meaningful: true, lastAtMs: written.atMs });
      else if (change === 'counters' && nowMs - written.atMs >= this.#refreshMs) due.push({ key, subject: operator.subject, status, meaningful: false, lastAtMs: written.atMs });
    }
    due.sort((a, b) => Number(b.meaningful) - Number(a.meaningful) || a.lastAtMs - b.lastAtMs);
    const writes: Promise<void>[] = [];
    for (const item of due) {
      if (!this.#bucket.tryAcquire()) break;
      writes.push(this.#write(item.key, item.subject, item.status));
    }
    await Promise.all(writes);
  }

  async #write(key: string, subject: EventSubject, status: WasmOperatorStatus): Promise<void> {
    const path = objectPath(this.#options.resource, { namespace: subject.namespace, name: subject.name }, 'status');
    try {
      const response = await this.#options.kube.request({ method: 'PATCH', path, body: statusPatch(status, statusFields), contentType: 'application/merge-patch+json' });
      if (response.status === 404) {
        this.#options.onWrite?.('gone');
        return;
      }
      if (!response.ok) throw new Error(`the API server answered ${response.status}: ${response.text.slice(0, 300)}`);
      const written = this.#written.get(key);
      if (written !== undefined && written.uid === subject.uid) {
        written.status = status;
        written.atMs = this.#now();
      }
      this.#options.onWrite?.('written');
    } catch (err) {
      // Not marked written: the next check tries again with whatever is latest by then.
      this.#options.onWrite?.('failed');
      this.#options.logger.log('warn', 'status.unwritten', { operator: key, error: err });
    }
  }

  #recordTransitions(subject: EventSubject, before: WasmOperatorStatus | undefined, after: WasmOperatorStatus): void {
    const find = (status: WasmOperatorStatus | undefined, type: string) => status?.conditions?.find((c) => c.type === type);
    const degraded = find(after, 'Degraded');
    const wasDegraded = find(before, 'Degraded');
    if (degraded?.status === 'True' && (wasDegraded?.status !== 'True' || wasDegraded.reason !== degraded.reason)) {
      this.#options.events.record(subject, 'Warning', degraded.reason, degraded.message);
    }
    const ready = find(after, 'Ready');
    const wasReady = find(before, 'Ready');
    const running = ready?.status === 'True' && ready.reason === 'Running';
    const wasRunning = wasReady?.status === 'True' && wasReady.reason === 'Running';
    if (running && (!wasRunning || before?.observedGeneration !== after.observedGeneration || before?.moduleDigest !== after.moduleDigest)) {
      this.#options.events.record(subject, 'Normal', 'Running', ready.message);
    }
  }
}
