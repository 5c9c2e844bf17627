/**
 * Opening a watch and reading it as a stream of events, with the connection's failure modes
 * (refused, cut mid-event, silent) turned into errors the informer can act on.
 */
import type http from 'node:http';
import type { Clock, Timer } from './clock.ts';
import { WatchStreamError } from './errors.ts';
import { readBody, startExchange } from './http-request.ts';
import { apiError, KubeResponse } from './kube-response.ts';
import type { Impersonation } from './rest-config.ts';
import type { Query } from './rest-client.ts';
import { parseWatchEvents, type WatchEvent } from './watch-stream.ts';

/** A watch on a collection path (`/api/v1/namespaces/default/configmaps`); `watch=true` is added. */
export interface WatchRequest {
  path: string;
  /** `resourceVersion`, `timeoutSeconds`, `allowWatchBookmarks`, `labelSelector`, ... */
  query?: Query;
  signal?: AbortSignal;
  /** When no byte arrives for this long the connection is taken for dead: the stream ends with a `WatchStreamError`. */
  idleTimeoutMs?: number;
  impersonate?: Impersonation;
}

/**
 * An open watch. Iterate it once. It ends without error when the server closes the watch
 * cleanly (its `timeoutSeconds` passed) or when `close()` is called or the request's signal
 * aborts; it throws `WatchStreamError` when the connection breaks, goes silent past the idle
 * timeout, or carries something that is not a watch event.
 */
export interface WatchStream extends AsyncIterable<WatchEvent> {
  close(): void;
}

/** What `KubeClient` lends `openWatch`: the URL, credentials and rate limiting. */
export interface WatchDeps {
  url: URL;
  connectTimeoutMs: number;
  clock: Clock;
  prepare(signal: AbortSignal): Promise<{ headers: http.OutgoingHttpHeaders; agent: http.Agent }>;
  onUnauthorized(): boolean;
}

/**
 * Sends the watch request and resolves when the server accepts it (HTTP 200). Any other
 * status rejects with a `KubeApiError` (410 Gone: the resourceVersion is too old, relist);
 * a connection failure or a server that does not answer within `connectTimeoutMs` rejects
 * with the socket's error.
 */
export async function openWatch(req: WatchRequest, deps: WatchDeps): Promise<WatchStream> {
  const closer = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, closer.signal]) : closer.signal;
  const connect = new AbortController();
  const connectTimer = deps.clock.setTimer(
    () => connect.abort(Object.assign(new Error(`the API server did not answer within ${deps.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })),
    deps.connectTimeoutMs,
  );
  let res: http.IncomingMessage;
  try {
    for (let reauthenticated = false; ; reauthenticated = true) {
      const attemptSignal = AbortSignal.any([signal, connect.signal]);
      const { headers, agent } = await deps.prepare(attemptSignal);
      res = await startExchange({ url: deps.url, method: 'GET', headers, body: undefined, agent, signal: attemptSignal });
      if (res.statusCode === 200) break;
      const response = new KubeResponse(res.statusCode ?? 0, res.headers, (await readBody(res)).toString('utf8'));
      if (response.status === 401 && !reauthenticated && deps.onUnauthorized()) continue;
      throw apiError('GET', `${deps.url.pathname}${deps.url.search}`, response);
    }
  } catch (err) {
    throw connect.signal.aborted && !signal.aborted ? connect.signal.reason : err;
  } finally {
    connectTimer.cancel();
  }
  // The connect signal must not abort the stream once it is open: only the caller's may.
  return new OpenWatch(res, req, deps.clock, closer, signal);
}

class OpenWatch implements WatchStream {
  readonly #res: http.IncomingMessage;
  readonly #path: string;
  readonly #clock: Clock;
  readonly #closer: AbortController;
  readonly #signal: AbortSignal;
  readonly #idleTimeoutMs: number | undefined;
  #idle = false;

  constructor(res: http.IncomingMessage, req: WatchRequest, clock: Clock, closer: AbortController, signal: AbortSignal) {
    this.#res = res;
    this.#path = req.path;
    this.#clock = clock;
    this.#closer = closer;
    this.#signal = signal;
    this.#idleTimeoutMs = req.idleTimeoutMs;
    signal.addEventListener('abort', () => res.destroy(), { once: true });
  }

  close(): void {
    this.#closer.abort(new Error('watch closed'));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
    try {
      yield* parseWatchEvents(this.#chunks(), this.#path);
    } catch (err) {
      if (this.#signal.aborted) return;
      if (this.#idle) throw new WatchStreamError(this.#path, `no data for ${this.#idleTimeoutMs} ms; the connection is taken for dead`, err);
      if (err instanceof WatchStreamError) throw err;
      throw new WatchStreamError(this.#path, `the connection was lost: ${(err as Error).message}`, err);
    } finally {
      this.#res.destroy();
    }
  }

  async *#chunks(): AsyncGenerator<Buffer> {
    let timer: Timer | undefined;
    const arm = () => {
      timer?.cancel();
      if (this.#idleTimeoutMs === undefined) return;
      timer = this.#clock.setTimer(() => {
        this.#idle = true;
        this.#res.destroy(new Error('idle timeout'));
      }, this.#idleTimeoutMs);
    };
    try {
      arm();
      for await (const chunk of this.#res) {
        arm();
        yield chunk as Buffer;
      }
      if (this.#idle) throw new Error('idle timeout');
      if (!this.#res.complete && !this.#signal.aborted) throw Object.assign(new Error('the server closed the connection mid-stream'), { code: 'ECONNRESET' });
    } finally {
      timer?.cancel();
    }
  }
}
