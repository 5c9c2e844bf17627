/**
 * The engine's native functions (sdk/js/engine/wo_engine.c): the only door to the host. Each
 * takes and returns plain values; JSON crosses the ABI boundary underneath. Calls are
 * synchronous: while one waits on the API server, the host runs other operators.
 */
import type { Result } from './result.ts';

/** A log line as the ABI's `log` import takes it. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** The ABI's `kube_request` payload. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An API server path, no host: `/apis/apps/v1/namespaces/shop/deployments/web`. */
  path: string;
  query?: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

/** The ABI's `kube_request` answer: always a response (host refusals are 403 and 503). */
export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

/** The natives as the engine defines them on `globalThis.__wo_host`. */
export interface EngineHost {
  kubeRequest(request: KubeRequest): KubeResponse;
  cacheGet(query: unknown): unknown;
  cacheList(query: unknown): { items: unknown[] };
  setResult(result: Result): void;
  log(entry: LogEntry): void;
  getenv(name: string): string | undefined;
  fillRandom<T extends ArrayBufferView>(array: T): T;
  random(): number;
  abort(message: string): never;
}

declare const __wo_host: EngineHost | undefined;

/**
 * The natives, or a clear error outside the engine (for example when SDK code is imported
 * into a Node test by mistake: operators run only inside the wasm engine).
 */
export function engineHost(): EngineHost {
  if (typeof __wo_host === 'undefined') {
    throw new Error('wasm-operator/js runs only inside the wasm-operator JS engine (build with `wasm-operator build --lang js`)');
  }
  return __wo_host;
}
