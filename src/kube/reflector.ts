/**
 * The list+watch loop behind an informer: list (in pages), watch from the list's
 * resourceVersion, and recover from everything a long-lived watch meets.
 */
import { exponentialBackoff, type Backoff } from './backoff.ts';
import { sleep, systemClock, type Clock } from './clock.ts';
import { KubeApiError, type KubeStatus } from './errors.ts';
import type { KubeObject } from './kube-object.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import type { WatchStream } from './watch-request.ts';

/** One page of a list. `continue` is set when more pages follow. */
export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
}

/** The two calls a reflector makes; `apiListerWatcher` makes them over HTTP. */
export interface ListerWatcher {
  list(options: { limit?: number; continue?: string; signal: AbortSignal }): Promise<ListPage>;
  watch(options: { resourceVersion: string; timeoutSeconds: number; idleTimeoutMs: number; signal: AbortSignal }): Promise<WatchStream>;
}

/** Where a reflector puts what it learns. Called synchronously, in order. */
export interface ReflectorSink {
  /** A complete list: the world as of `resourceVersion`. */
  replace(items: KubeObject[], resourceVersion: string): void;
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void;
}

/** The reflector's phase, for health checks and metrics. */
export type ReflectorState =
  | { phase: 'starting' }
  | { phase: 'listing'; sinceMs: number }
  | { phase: 'watching'; sinceMs: number }
  | { phase: 'backingOff'; attempt: number; lastError: { code: string; message: string; status?: number }; retryAtMs: number; next: 'list' | 'watch' }
  | { phase: 'stopped' };

/** Tuning; the defaults follow client-go's reflector. */
export interface ReflectorOptions {
  /** Items per list page (client-go's pager: 500). */
  pageSize?: number;
  /** Watches ask the server to close them after a random time in [min, 2*min) seconds, spreading reconnects. */
  minWatchTimeoutSeconds?: number;
  /** Backoff between failed attempts: 500 ms doubling to 30 s, jittered. */
  backoff?: Backoff;
  /** A watch that ends sooner than this without any event counts as a failure (no tight reconnect loop). */
  minHealthyWatchMs?: number;
  clock?: Clock;
  random?: () => number;
  logger?: KubeLogger;
  /** Names this reflector in logs (the informer's key). */
  name?: string;
  onStateChange?: (state: ReflectorState) => void;
}

/** Counts kept for metrics. */
export interface ReflectorCounters {
  lists: number;
  watches: number;
  events: number;
  errors: number;
}

/**
 * Keeps a sink in step with the API server.
 *
 * Recovery rules: a watch that ends cleanly (its timeout) is reopened at once from the last
 * resourceVersion seen (bookmarks included); a broken connection or stream is reopened the
 * same way after a backoff; 410 Gone (the resourceVersion was compacted) relists at once;
 * any other refusal of the watch (403, 404 after a CRD was deleted, 504 "too large resource
 * version" after the server lost its data) relists after a backoff; a failed list is retried
 * after a backoff. A list that expires between pages (410 on `continue`) is redone in one
 * request. The backoff resets only once a watch works (an event arrives, or it lived its
 * time), so a server that lists but refuses watches is not hammered.
 * Nothing is ever given up: the reflector runs until `stop()`, and its state says why it waits.
 */
export class Reflector {
  readonly #lw: ListerWatcher;
  readonly #sink: ReflectorSink;
  readonly #pageSize: number;
  readonly #minTimeout: number;
  readonly #backoff: Backoff;
  readonly #minHealthyMs: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: KubeLogger;
  readonly #name: string;
  readonly #onStateChange: ((state: ReflectorState) => void) | undefined;
  readonly #stop = new AbortController();
  #state: ReflectorState = { phase: 'starting' };
  #resourceVersion = '';
  #running: Promise<void> | undefined;
  /** Consecutive failures: the backoff's attempt number. */
  #failures = 0;
  /** 410s since the watch last delivered an event. */
  #gone = 0;
  readonly counters: ReflectorCounters = { lists: 0, watches: 0, events: 0, errors: 0 };

  constructor(lw: ListerWatcher, sink: ReflectorSink, options: ReflectorOptions = {}) {
    this.#lw = lw;
    this.#sink = sink;
    this.#pageSize = options.pageSize ?? 500;
    this.#minTimeout = options.minWatchTimeoutSeconds ?? 300;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000, random: this.#random });
    this.#minHealthyMs = options.minHealthyWatchMs ?? 1_000;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#name = options.name ?? 'reflector';
    this.#onStateChange = options.onStateChange;
  }

  get state(): ReflectorState {
    return this.#state;
  }

  /** The last resourceVersion seen (list, event or bookmark); `''` before the first list. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Starts the loop (once); it runs until `stop()`. */
  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops the loop and closes the watch; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#stop.abort(new Error(`${this.#name} stopped`));
    await this.#running;
    this.#setState({ phase: 'stopped' });
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    let needList = true;
    while (!signal.aborted) {
      let next: 'list' | 'watch' = needList ? 'list' : 'watch';
      try {
        if (needList) {
          await this.#list(signal);
          needList = false;
        }
        next = 'watch';
        await this.#watch(signal);
        continue;
      } catch (err) {
        if (signal.aborted) break;
        this.counters.errors++;
        if (err instanceof KubeApiError && next === 'watch') {
          if (err.status === 410) {
            this.#logger.log('info', 'informer.relist', { informer: this.#name, reason: err.reason, message: err.message });
            needList = true;
            // The first 410 relists at once; 410 again before any event (a server that
            // compacts faster than we list) goes through the backoff instead of looping.
            if (this.#gone++ === 0) continue;
          } else if (err.status !== 429 && !(err.status >= 500 && err.status !== 504)) {
            needList = true;
          }
        }
        await this.#backOff(err, needList ? 'list' : 'watch', signal);
      }
    }
  }

  async #backOff(err: unknown, next: 'list' | 'watch', signal: AbortSignal): Promise<void> {
    const delayMs = this.#backoff(this.#failures);
    this.#failures++;
    const lastError = {
      code: errorCode(err),
      message: err instanceof Error ? err.message : String(err),
      ...(err instanceof KubeApiError ? { status: err.status } : {}),
    };
    this.#setState({ phase: 'backingOff', attempt: this.#failures, lastError, retryAtMs: this.#clock.now() + delayMs, next });
    this.#logger.log('warn', 'informer.backoff', { informer: this.#name, attempt: this.#failures, delayMs, next, error: lastError.message, code: lastError.code });
    await sleep(this.#clock, delayMs, signal).catch(() => {});
  }

  /** The watch works: forget past failures. */
  #healthy(): void {
    this.#failures = 0;
    this.#gone = 0;
  }

  async #list(signal: AbortSignal): Promise<void> {
    this.#setState({ phase: 'listing', sinceMs: this.#clock.now() });
    const started = this.#clock.now();
    const items: KubeObject[] = [];
    let page = await this.#lw.list({ limit: this.#pageSize, signal });
    let pages = 1;
    items.push(...page.items);
    while (page.continue) {
      try {
        page = await this.#lw.list({ limit: this.#pageSize, continue: page.continue, signal });
      } catch (err) {
        if (!(err instanceof KubeApiError && err.status === 410)) throw err;
        // The continue token expired mid-way: a consistent snapshot needs one unpaginated list.
        this.#logger.log('info', 'informer.list_expired', { informer: this.#name, pages });
        items.length = 0;
        page = await this.#lw.list({ signal });
      }
      pages++;
      items.push(...page.items);
    }
    this.#resourceVersion = page.resourceVersion;
    this.counters.lists++;
    this.#sink.replace(items, page.resourceVersion);
    this.#logger.log('info', 'informer.listed', {
      informer: this.#name, objects: items.length, pages, resourceVersion: page.resourceVersion, durationMs: this.#clock.now() - started,
    });
  }

  /** Runs one watch to its end. */
  async #watch(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = Math.floor(this.#minTimeout * (1 + this.#random()));
    const opened = this.#clock.now();
    const stream = await this.#lw.watch({
      resourceVersion: this.#resourceVersion,
      timeoutSeconds,
      // The server ends the watch after timeoutSeconds; silence well past that means a dead connection.
      idleTimeoutMs: (timeoutSeconds + 60) * 1000,
      signal,
    });
    this.counters.watches++;
    this.#setState({ phase: 'watching', sinceMs: opened });
    this.#logger.log('debug', 'informer.watch_opened', { informer: this.#name, resourceVersion: this.#resourceVersion, timeoutSeconds });
    let received = 0;
    const close = () => stream.close();
    signal.addEventListener('abort', close, { once: true });
    if (signal.aborted) close(); // stopped while the watch was being opened
    try {
      for await (const event of stream) {
        received++;
        const rv = event.object.metadata?.resourceVersion;
        if (event.type === 'ERROR') throw statusError(event.object as KubeStatus);
        this.#healthy();
        if (event.type !== 'BOOKMARK') {
          this.counters.events++;
          this.#sink.apply(event.type, event.object);
        }
        if (rv) this.#resourceVersion = rv;
      }
    } finally {
      signal.removeEventListener('abort', close);
      stream.close();
    }
    const livedMs = this.#clock.now() - opened;
    this.#logger.log('debug', 'informer.watch_closed', { informer: this.#name, events: received, durationMs: livedMs });
    if (received === 0 && livedMs < this.#minHealthyMs && !signal.aborted) {
      throw Object.assign(new Error(`the watch was closed after ${livedMs} ms without any event`), { code: 'WATCH_CLOSED_EARLY' });
    }
    this.#healthy();
  }

  #setState(state: ReflectorState): void {
    if (this.#state.phase === 'stopped') return;
    this.#state = state;
    this.#onStateChange?.(state);
  }
}

// An ERROR event carries a Status; make it the same error a refused watch request gives.
function statusError(status: KubeStatus): KubeApiError {
  return new KubeApiError('WATCH', status.details?.kind ?? 'stream', status.code ?? 500, status);
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
