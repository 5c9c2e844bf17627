/**
 * The host's HTTP endpoints for people and probes: `/metrics` (Prometheus), `/healthz`
 * (the process answers), `/readyz` (what `StatusSource.notReady` says) and `/operators`
 * (each operator's phase and figures as JSON).
 */
import { http } from '../node-http.ts';
import type { AddressInfo } from 'node:net';
import type { Host } from '../runtime/index.ts';
import type { PrometheusMetrics } from './metrics.ts';

export interface StatusServer {
  url: string;
  close(): Promise<void>;
}

/** What the endpoints show, read at each request: the local host and the cluster host each provide one. */
export interface StatusSource {
  /** The body of `/operators`. */
  operators(): unknown;
  /** Why the host is not ready, one line each; empty when it is. */
  notReady(): string[];
}

/**
 * A local host's status: ready once every operator started (bar those whose module or spec
 * is invalid, which retrying cannot fix) and every informer is watching.
 */
export function hostStatusSource(host: Host): StatusSource {
  return {
    operators: () => ({ operators: host.operators(), problems: host.problems() }),
    notReady: () => [
      ...host.problems().filter((p) => p.permanent !== true).map((p) => `operator ${p.name} not started: ${p.error}`),
      ...host.informerHealth().filter((i) => i.state.phase !== 'watching').map((i) => `informer ${i.key} is ${i.state.phase}`),
    ],
  };
}

export async function startStatusServer(source: StatusSource, metrics: PrometheusMetrics, address: { host: string; port: number }): Promise<StatusServer> {
  const server = http.createServer((req, res) => {
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { 'content-type': contentType }).end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/metrics':
        metrics.render().then(({ contentType, body }) => send(200, contentType, body), (err: unknown) => send(500, 'text/plain', `metrics failed: ${String(err)}\n`));
        return;
      case '/healthz':
        send(200, 'text/plain', 'ok\n');
        return;
      case '/readyz': {
        const problems = source.notReady();
        send(problems.length === 0 ? 200 : 503, 'text/plain', problems.length === 0 ? 'ok\n' : `${problems.join('\n')}\n`);
        return;
      }
      case '/operators':
        send(200, 'application/json', `${JSON.stringify(source.operators(), null, 2)}\n`);
        return;
      default:
        send(404, 'text/plain', 'not found: try /metrics, /healthz, /readyz or /operators\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
