/**
 * One HTTP exchange with the API server, without retries: what the REST client repeats.
 */
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { http, https } from '../node-http.ts';

/** A request ready to go out. `signal` aborts it at any point, the response body included. */
export interface HttpExchange {
  url: URL;
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  agent: Agent;
  signal: AbortSignal;
}

/**
 * Sends the request and resolves with the response once its headers arrive (the body is
 * still to be read). Rejects with the socket's error (its `code`, e.g. `ECONNREFUSED`, tells
 * the retry policy whether the request went out) or with the signal's reason.
 */
export function startExchange(exchange: HttpExchange): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const { signal } = exchange;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const send = exchange.url.protocol === 'https:' ? https().request : http.request;
    const req = send(exchange.url, { method: exchange.method, headers: exchange.headers, agent: exchange.agent });
    const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? signal.reason : err);
    });
    req.on('response', (res) => {
      // Kept until the body is consumed: aborting later destroys the response too.
      res.on('close', () => signal.removeEventListener('abort', onAbort));
      resolve(res);
    });
    req.end(exchange.body);
  });
}

/** Reads the whole body; rejects if the connection breaks first (a cut body is not an answer). */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  if (!res.complete) {
    throw Object.assign(new Error('the connection closed before the response body was complete'), { code: 'ECONNRESET' });
  }
  return Buffer.concat(chunks);
}
