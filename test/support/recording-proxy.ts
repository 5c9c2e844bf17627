/**
 * An HTTP relay that records each request's method, path and impersonation headers before
 * passing it on unchanged (watches stream through). The embedded API server has no RBAC and
 * ignores `Impersonate-*` headers, so tests check what a real API server would be asked by
 * looking at what went over the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  impersonateUser: string | undefined;
  impersonateGroups: string[];
}

export interface RecordingProxy {
  url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const group = req.headers['impersonate-group'];
    requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      impersonateUser: req.headers['impersonate-user'] as string | undefined,
      impersonateGroups: group === undefined ? [] : Array.isArray(group) ? group : [group],
    });
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
