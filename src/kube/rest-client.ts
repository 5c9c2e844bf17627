/**
 * The host's Kubernetes REST client: JSON requests with retries, a rate limit, timeouts and
 * credentials that rotate, plus watch streams. Written for the host instead of using
 * `@kubernetes/client-node`, whose import alone costs about 84 MB of RSS (see docs/kube-client.md).
 */
import type http from 'node:http';
import { credentialSource, type CredentialSource } from './auth/credentials.ts';
import { exponentialBackoff } from './backoff.ts';
import { sleep, systemClock, type Clock } from './clock.ts';
import { WasmOperatorError } from '../errors.ts';
import { KubeTransportError } from './errors.ts';
import { apiError, KubeResponse } from './kube-response.ts';
import { readBody, startExchange } from './http-request.ts';
import { silentLogger, type KubeLogger } from './logger.ts';
import { TokenBucket, type RateLimit } from './rate-limiter.ts';
import type { Impersonation, RestConfig } from './rest-config.ts';
import { decideRetry, isIdempotent, parseRetryAfter, type AttemptOutcome, type RetryPolicy } from './retry.ts';
import { Transport } from './transport.ts';
import { openWatch, type WatchRequest, type WatchStream } from './watch-request.ts';

/** Query parameters; `undefined` values are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** One API request. `path` is the API path (`/api/v1/namespaces/default/pods`), without the server. */
export interface KubeRequest {
  method: string;
  path: string;
  query?: Query;
  /** Sent as is when a string or bytes, otherwise as JSON. */
  body?: unknown;
  /** Defaults to `application/json` when there is a body; see `patchContentTypes`. */
  contentType?: string;
  /** The whole call's budget, retries and waits included (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the method-based guess of `isIdempotent` (which decides retries after a 5xx or a reset). */
  idempotent?: boolean;
  /** Act as this user for this request (overrides the kubeconfig's `as`). */
  impersonate?: Impersonation;
}

/** The content types of the four patch flavours Kubernetes accepts. */
export const patchContentTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** Client knobs; every one has a default suited to a host running many operators. */
export interface KubeClientOptions {
  /** Default `defaultRateLimit`. */
  rateLimit?: RateLimit;
  retry?: Partial<{ maxRetries: number; initialBackoffMs: number; maxBackoffMs: number; maxRetryAfterMs: number }>;
  /** Default budget of one call, retries included: 30 s. */
  timeoutMs?: number;
  userAgent?: string;
  clock?: Clock;
  logger?: KubeLogger;
  /** For backoff jitter; injected by tests. */
  random?: () => number;
  /** Replaces the credentials derived from `config.auth` (tests, or a host that brings its own). */
  credentials?: CredentialSource;
  tokenFileRefreshMs?: number;
  execTimeoutMs?: number;
}

/**
 * 50 requests/s sustained, bursts of 100. client-go's 5/10 is sized for one controller; this
 * client carries the writes of every operator in the host, and 100 operators starting at once
 * would queue for 20 s behind 5 QPS. Reads come from the shared informers' caches and each
 * watch is opened once per kind, so steady traffic stays far below this; the limit is a
 * safety net against a runaway guest, while fairness between clients is the API server's job
 * (API Priority and Fairness). The same figures as kube-scheduler's defaults.
 */
export const defaultRateLimit: RateLimit = { qps: 50, burst: 100 };

/** Counters the host exports as metrics. */
export interface KubeClientStats {
  requests: number;
  retries: number;
  /** Requests waiting for the rate limiter now. */
  rateLimited: number;
}

/**
 * A client for one API server.
 *
 * - `request()` always resolves with the server's answer (any status) after retrying what
 *   the retry policy allows; it rejects only when no answer came (`KubeTransportError`, with
 *   `timedOut` when the budget ran out) or the caller aborted (the signal's reason).
 * - `call()` is `request()` for callers that want the object: non-2xx becomes a `KubeApiError`.
 * - `watch()` opens a watch stream (not retried: the informer decides how to recover).
 * Every request, watches included, takes a token from the rate limiter. A 401 makes rotating
 * credentials (token file, exec plugin) refresh, and the request is sent once more.
 */
export class KubeClient {
  readonly config: RestConfig;
  readonly #transport: Transport;
  readonly #credentials: CredentialSource;
  readonly #limiter: TokenBucket | undefined;
  readonly #clock: Clock;
  readonly #logger: KubeLogger;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  #requests = 0;
  #retries = 0;

  constructor(config: RestConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#transport = new Transport(config);
    this.#credentials = options.credentials ?? credentialSource(config.auth, {
      clock: this.#clock,
      logger: this.#logger,
      ...(options.tokenFileRefreshMs !== undefined ? { tokenFileRefreshMs: options.tokenFileRefreshMs } : {}),
      ...(options.execTimeoutMs !== undefined ? { execTimeoutMs: options.execTimeoutMs } : {}),
    });
    const rateLimit = options.rateLimit ?? defaultRateLimit;
    this.#limiter = rateLimit.qps === Infinity ? undefined : new TokenBucket(rateLimit, this.#clock);
    const retry = options.retry ?? {};
    this.#policy = {
      maxRetries: retry.maxRetries ?? 5,
      backoff: exponentialBackoff({ initialMs: retry.initialBackoffMs ?? 200, maxMs: retry.maxBackoffMs ?? 5_000, ...(options.random ? { random: options.random } : {}) }),
      maxRetryAfterMs: retry.maxRetryAfterMs ?? 60_000,
    };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? 'wasm-operator';
  }

  /** Sends `req`, retrying per the policy, and resolves with the last answer whatever its status. */
  async request(req: KubeRequest): Promise<KubeResponse> {
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    const deadline = this.#clock.now() + timeoutMs;
    const timeout = new AbortController();
    const timer = this.#clock.setTimer(() => timeout.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const url = this.url(req.path, req.query);
    const body = encodeBody(req.body);
    const contentType = body === undefined ? undefined : (req.contentType ?? 'application/json');
    const idempotent = req.idempotent ?? isIdempotent(req.method, contentType);
    let attempts = 0;
    let reauthenticated = false;
    try {
      for (;;) {
        attempts++;
        this.#requests++;
        let outcome: AttemptOutcome;
        let response: KubeResponse | undefined;
        try {
          response = await this.#attempt(req, url, body, contentType, signal);
          if (response.status === 401 && !reauthenticated && this.#credentials.invalidate()) {
            reauthenticated = true;
            continue;
          }
          outcome = { kind: 'response', status: response.status, retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.#clock.now()) };
        } catch (err) {
          // Our own errors (a credential plugin that failed, an unreadable token file) say
          // more than a transport error wrapped around them would.
          if (signal.aborted || err instanceof WasmOperatorError) throw err;
          outcome = { kind: 'error', error: err };
        }
        const decision = decideRetry(idempotent, outcome, attempts - 1, this.#policy);
        if (!decision.retry || this.#clock.now() + decision.delayMs >= deadline) {
          if (response) return response;
          throw new KubeTransportError(req.method, url.href, attempts, false, (outcome as { error: unknown }).error);
        }
        this.#retries++;
        this.#logger.log('debug', 'kube.request.retry', { method: req.method, path: req.path, reason: decision.reason, attempt: attempts, delayMs: decision.delayMs });
        await sleep(this.#clock, decision.delayMs, signal);
      }
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (timeout.signal.aborted) throw new KubeTransportError(req.method, url.href, attempts, true, timeout.signal.reason);
      throw err;
    } finally {
      timer.cancel();
    }
  }

  /** Sends `req` and resolves with the parsed body of a 2xx answer; any other status rejects with a `KubeApiError`. */
  async call<T = unknown>(req: KubeRequest): Promise<T> {
    const response = await this.request(req);
    if (!response.ok) throw apiError(req.method, req.path, response);
    return response.body as T;
  }

  /** Opens a watch (see `WatchRequest`); resolves once the server has accepted it. */
  watch(req: WatchRequest): Promise<WatchStream> {
    return openWatch(req, {
      url: this.url(req.path, { ...req.query, watch: 'true' }),
      connectTimeoutMs: this.#timeoutMs,
      clock: this.#clock,
      prepare: async (signal) => {
        await this.#limiter?.acquire(signal);
        this.#requests++;
        return this.#prepare(undefined, undefined, req.impersonate, signal);
      },
      onUnauthorized: () => this.#credentials.invalidate(),
    });
  }

  /** The full URL of an API path. */
  url(path: string, query?: Query): URL {
    const url = new URL(this.config.server + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  stats(): KubeClientStats {
    return { requests: this.#requests, retries: this.#retries, rateLimited: this.#limiter?.waiting ?? 0 };
  }

  /** Closes every connection, watches included. */
  close(): void {
    this.#transport.close();
  }

  async #attempt(req: KubeRequest, url: URL, body: Buffer | undefined, contentType: string | undefined, signal: AbortSignal): Promise<KubeResponse> {
    await this.#limiter?.acquire(signal);
    const { headers, agent } = await this.#prepare(body, contentType, req.impersonate, signal);
    const res = await startExchange({ url, method: req.method, headers, body, agent, signal });
    const text = (await readBody(res)).toString('utf8');
    return new KubeResponse(res.statusCode ?? 0, res.headers, text);
  }

  async #prepare(body: Buffer | undefined, contentType: string | undefined, impersonate: Impersonation | undefined, signal: AbortSignal) {
    const credentials = await this.#credentials.get(signal);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json', 'user-agent': this.#userAgent };
    if (credentials.authorization) headers.authorization = credentials.authorization;
    if (body !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = body.length;
    }
    const as = impersonate ?? this.config.impersonate;
    if (as) {
      headers['impersonate-user'] = as.user;
      if (as.uid) headers['impersonate-uid'] = as.uid;
      if (as.groups?.length) headers['impersonate-group'] = as.groups;
    }
    return { headers, agent: this.#transport.agent(credentials.clientCert) };
  }
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(JSON.stringify(body), 'utf8');
}
