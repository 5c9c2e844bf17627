/**
 * The API server's answer to one request, and the typed error a non-2xx answer becomes.
 */
import type http from 'node:http';
import { KubeApiError, type KubeStatus } from './errors.ts';

/** An answer from the API server, whatever its status. */
export class KubeResponse {
  readonly status: number;
  readonly headers: Readonly<http.IncomingHttpHeaders>;
  /** The body as text (UTF-8), as received. */
  readonly text: string;
  #body: unknown;
  #parsed = false;

  constructor(status: number, headers: http.IncomingHttpHeaders, text: string) {
    this.status = status;
    this.headers = headers;
    this.text = text;
  }

  /** The body parsed as JSON (on first access), or undefined when it is empty or not JSON. */
  get body(): unknown {
    if (!this.#parsed) {
      this.#parsed = true;
      try {
        this.#body = this.text === '' ? undefined : JSON.parse(this.text);
      } catch {
        this.#body = undefined;
      }
    }
    return this.#body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

/** The `KubeApiError` for a non-2xx answer, from its Status body (or a synthesised one). */
export function apiError(method: string, path: string, response: KubeResponse): KubeApiError {
  const body = response.body as Partial<KubeStatus> | undefined;
  const status: KubeStatus =
    body?.kind === 'Status'
      ? (body as KubeStatus)
      : { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: response.status, message: response.text.slice(0, 300).trim() };
  return new KubeApiError(method, path, response.status, status);
}

