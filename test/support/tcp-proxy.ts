/**
 * A TCP relay between a client and a server that a test can cut (every connection dropped,
 * new ones refused) and point elsewhere: a network partition, or a server that moved.
 */
import net from 'node:net';

export interface TcpProxy {
  /** Where clients connect. */
  readonly port: number;
  /** Drops every connection and resets new ones until `resume()`. */
  cut(): void;
  resume(): void;
  /** Sends new connections to another port (e.g. a restarted server). */
  retarget(port: number): void;
  /** Connections accepted so far (resets included). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  let cut = false;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server = net.createServer((client) => {
    accepted++;
    track(client);
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target, '127.0.0.1');
    track(upstream);
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get accepted() {
      return accepted;
    },
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    resume() {
      cut = false;
    },
    retarget(p) {
      target = p;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
