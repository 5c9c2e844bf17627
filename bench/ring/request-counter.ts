/**
 * Preloaded (`node --import`) into the benchmark's API server process: counts the HTTP
 * requests and open watch connections the server sees, from Node's own `http.server.*`
 * diagnostics channels, so the server needs no hook and no client is special-cased. Requests
 * whose User-Agent is RING_BENCH_UNCOUNTED_AGENT (the ring driver's) are left out. The parent
 * reads the counters over the IPC channel by sending `'counters'`.
 *
 * A preload exists for its side effects: subscribing at import time is the point.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWatchRequest } from './watch-request.ts';

/** What the parent receives. */
export interface RequestCounters {
  requests: number;
  requestsByMethod: Record<string, number>;
  /** Watch requests ever started. */
  watchRequests: number;
  /** Watch responses not yet closed. */
  openWatches: number;
  peakOpenWatches: number;
}

const uncounted = process.env.RING_BENCH_UNCOUNTED_AGENT;
const counters: RequestCounters = { requests: 0, requestsByMethod: {}, watchRequests: 0, openWatches: 0, peakOpenWatches: 0 };

subscribe('http.server.request.start', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  if (uncounted !== undefined && request.headers['user-agent'] === uncounted) return;
  counters.requests++;
  const method = request.method ?? 'UNKNOWN';
  counters.requestsByMethod[method] = (counters.requestsByMethod[method] ?? 0) + 1;
  if (!isWatchRequest(request.url ?? '/')) return;
  counters.watchRequests++;
  counters.openWatches++;
  counters.peakOpenWatches = Math.max(counters.peakOpenWatches, counters.openWatches);
  response.once('close', () => counters.openWatches--);
});

if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message === 'counters') process.send!({ counters });
  });
  // The parent is gone (even killed): never leave an orphaned API server behind.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep the server alive once it has closed on SIGTERM.
  process.channel?.unref();
}
