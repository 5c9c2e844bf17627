/**
 * Plain HTTP access to an embedded API server for tests: JSON requests, and watch streams read
 * event by event. Uses only fetch, so what the tests see is what any client sees on the wire.
 */
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/apiserver/index.ts';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export class KubeHttp {
  readonly server: ApiServer;

  constructor(server: ApiServer) {
    this.server = server;
  }

  static async start(options: ApiServerOptions = {}): Promise<KubeHttp> {
    return new KubeHttp(await startApiServer({ port: 0, ...options }));
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { Accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.server.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: unknown): Promise<Reply> {
    return this.request('POST', path, body);
  }

  put(path: string, body: unknown): Promise<Reply> {
    return this.request('PUT', path, body);
  }

  delete(path: string, body?: unknown): Promise<Reply> {
    return this.request('DELETE', path, body);
  }

  /** Opens a watch; `next()` resolves with each event in order. */
  async watch(path: string, headers: Record<string, string> = {}): Promise<WatchReader> {
    const controller = new AbortController();
    const res = await fetch(`${this.server.url}${path}`, { headers: { Accept: 'application/json', ...headers }, signal: controller.signal });
    return new WatchReader(res, controller);
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

export interface WatchEvent {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  object: any;
}

export class WatchReader {
  readonly status: number;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #controller: AbortController;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(res: Response, controller: AbortController) {
    this.status = res.status;
    this.#reader = res.body!.getReader();
    this.#controller = controller;
  }

  /** The next event, or undefined when the stream ended. Fails after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<WatchEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const newline = this.#buffer.indexOf('\n');
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        if (line.trim() !== '') return JSON.parse(line) as WatchEvent;
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no watch event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return undefined;
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next `n` events. */
  async take(n: number, timeoutMs = 5_000): Promise<WatchEvent[]> {
    const out: WatchEvent[] = [];
    for (let i = 0; i < n; i++) {
      const e = await this.next(timeoutMs);
      if (e === undefined) throw new Error(`watch ended after ${i} of ${n} events`);
      out.push(e);
    }
    return out;
  }

  close(): void {
    this.#controller.abort();
    this.#reader.cancel().catch(() => undefined);
  }
}

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: labels === undefined ? { name } : { name, labels }, data };
}
