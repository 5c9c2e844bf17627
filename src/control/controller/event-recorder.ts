/**
 * Kubernetes Events about WasmOperators (`kubectl describe wasmoperator` shows them), written
 * as client-go's event recorder writes them: core/v1 Events, a repeat of the same event
 * within ten minutes counted on the first one instead of creating another, and a rate limit
 * so that a flapping operator cannot flood the API server.
 */
import { TokenBucket, type KubeClient, type RateLimit } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';

/** The object an event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** `source.component` and, qualified, `reportingComponent`. */
  component: string;
  /** This host replica (`source.host`, `reportingInstance`). */
  instance: string;
  logger: Logger;
  /** Default 5 per second, bursts of 25; events beyond it are dropped (and logged). */
  rate?: RateLimit;
  now?: () => number;
}

interface Recent {
  name: string;
  count: number;
  atMs: number;
}

const repeatWindowMs = 10 * 60_000;
const maxRemembered = 1_000;

export class EventRecorder {
  readonly #kube: KubeClient;
  readonly #options: EventRecorderOptions;
  readonly #bucket: TokenBucket;
  readonly #now: () => number;
  readonly #recent = new Map<string, Recent>();
  readonly #inflight = new Set<Promise<void>>();
  #seq = 0n;

  constructor(kube: KubeClient, options: EventRecorderOptions) {
    this.#kube = kube;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#bucket = new TokenBucket(options.rate ?? { qps: 5, burst: 25 }, { now: this.#now, setTimer: () => ({ cancel() {} }) });
  }

  /** Records an event in the background; never throws (a lost event is logged, nothing else). */
  record(subject: EventSubject, type: EventType, reason: string, message: string): void {
    this.#options.logger.log(type === 'Warning' ? 'warn' : 'info', 'event', { object: `${subject.namespace}/${subject.name}`, type, reason, message });
    if (!this.#bucket.tryAcquire()) {
      this.#options.logger.log('debug', 'event.dropped', { object: `${subject.namespace}/${subject.name}`, reason, why: 'rate limit' });
      return;
    }
    const writing = this.#write(subject, type, reason, message).catch((err: unknown) => {
      this.#options.logger.log('warn', 'event.unwritten', { object: `${subject.namespace}/${subject.name}`, reason, error: err });
    });
    this.#inflight.add(writing);
    void writing.finally(() => this.#inflight.delete(writing));
  }

  /** Resolves once every event recorded so far is written (or given up). */
  async flush(): Promise<void> {
    await Promise.all(this.#inflight);
  }

  async #write(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const nowMs = this.#now();
    const timestamp = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const key = JSON.stringify([subject.uid ?? `${subject.namespace}/${subject.name}`, type, reason, message]);
    const collection = `/api/v1/namespaces/${encodeURIComponent(subject.namespace)}/events`;
    const recent = this.#recent.get(key);
    if (recent !== undefined && nowMs - recent.atMs < repeatWindowMs) {
      recent.count++;
      recent.atMs = nowMs;
      const patched = await this.#kube.request({
        method: 'PATCH',
        path: `${collection}/${encodeURIComponent(recent.name)}`,
        body: { count: recent.count, lastTimestamp: timestamp },
        contentType: 'application/merge-patch+json',
      });
      if (patched.ok) return;
      // Expired or deleted meanwhile: record it afresh.
    }
    // client-go names events `<object>.<unix nanoseconds in hex>`; the sequence keeps two in one millisecond apart.
    const name = `${subject.name}.${(BigInt(nowMs) * 1_000_000n + (this.#seq++ % 1_000_000n)).toString(16)}`;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: subject.namespace },
      involvedObject: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        namespace: subject.namespace,
        name: subject.name,
        ...(subject.uid === undefined ? {} : { uid: subject.uid }),
        ...(subject.resourceVersion === undefined ? {} : { resourceVersion: subject.resourceVersion }),
      },
      type,
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      source: { component: this.#options.component, host: this.#options.instance },
      reportingComponent: `wasm-operator.dev/${this.#options.component}`,
      reportingInstance: this.#options.instance.slice(0, 128),
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
    };
    const created = await this.#kube.request({ method: 'POST', path: collection, body: event });
    if (!created.ok) throw new Error(`creating Event ${subject.namespace}/${name} answered ${created.status}: ${created.text.slice(0, 200)}`);
    this.#recent.delete(key);
    this.#recent.set(key, { name, count: 1, atMs: nowMs });
    // Forget the oldest (Maps keep insertion order) so memory stays bounded.
    if (this.#recent.size > maxRemembered) this.#recent.delete(this.#recent.keys().next().value!);
  }
}
