/**
 * The ring driver's connection to the API server: plain node:http with keep-alive, and a
 * watch read line by line. Its requests carry the uncounted User-Agent, so the API requests
 * reported are the variant's alone.
 */
import { WasmOperatorError } from '../../src/errors.ts';
import http from 'node:http';
import { uncountedAgent } from './api-server-process.ts';

export interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/** A failed call: its method, path, status and the server's message. */
export class DriverRequestError extends WasmOperatorError {
  readonly status: number;
  constructor(method: string, path: string, status: number, body: string) {
    super('BENCH_DRIVER_REQUEST', `${method} ${path}: ${status} ${body.slice(0, 300)}`, { method, path, status });
    this.status = status;
  }
}

export class DriverClient {
  readonly #base: URL;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(baseUrl: string) {
    this.#base = new URL(baseUrl);
  }

  async request<T = KubeObject>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { Accept: 'application/json', 'User-Agent': uncountedAgent };
    if (text !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(text);
    }
    return new Promise<T>((resolve, reject) => {
      const req = http.request(new URL(path, this.#base), { method, agent: this.#agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const reply = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 300) reject(new DriverRequestError(method, path, status, reply));
          else resolve(JSON.parse(reply) as T);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(text);
    });
  }

  /**
   * Watches `path` from `resourceVersion`; `onEvent` gets every event in order, `onEnd` the
   * reason the stream stopped unless `close()` stopped it.
   */
  watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, onEnd: (err: Error) => void): { close(): void } {
    let closed = false;
    const url = new URL(path, this.#base);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('resourceVersion', resourceVersion);
    const req = http.get(url, { headers: { Accept: 'application/json', 'User-Agent': uncountedAgent } }, (res) => {
      if (res.statusCode !== 200) {
        onEnd(new Error(`watch ${path}: status ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffered = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line !== '') onEvent(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('end', () => {
        if (!closed) onEnd(new Error(`watch ${path} ended`));
      });
    });
    req.on('error', (err) => {
      if (!closed) onEnd(err);
    });
    return {
      close: () => {
        closed = true;
        req.destroy();
      },
    };
  }

  close(): void {
    this.#agent.destroy();
  }
}
