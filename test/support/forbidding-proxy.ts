/**
 * An HTTP proxy in front of an API server that answers 403 Forbidden, as RBAC would, for the
 * requests `forbidden` picks, and passes everything else through (watch streams included).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ForbiddingProxy {
  url: string;
  close(): Promise<void>;
}

export async function startForbiddingProxy(target: string, forbidden: (url: URL) => boolean): Promise<ForbiddingProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    if (forbidden(url)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        message: `${req.method} ${url.pathname} is forbidden: User "test" cannot list this resource at the cluster scope`,
      }));
      return;
    }
    const forward = http.request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders(); // a watch's headers must not wait for its first event
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
