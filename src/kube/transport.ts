/**
 * Connections to one API server: keep-alive agents carrying the TLS settings, the proxy and,
 * when an exec plugin supplies one, the current client certificate.
 */
import type { Agent, AgentOptions } from 'node:http';
import { http, https } from '../node-http.ts';
import type { Socket } from 'node:net';
import type { RestConfig } from './rest-config.ts';

/**
 * Hands out the agent for a request. Sockets are kept alive and reused (a TLS handshake per
 * request would cost more than most API calls); there is no cap on sockets because every
 * watch holds one for minutes and must not queue behind others.
 *
 * When an exec plugin rotates the client certificate, requests move to a new agent; the old
 * one lets its requests in flight (watches included) finish and closes each socket as it
 * falls idle.
 */
export class Transport {
  readonly #config: RestConfig;
  readonly #https: boolean;
  #current: { certKey: string; agent: Agent } | undefined;
  readonly #retired = new Set<Agent>();

  constructor(config: RestConfig) {
    this.#config = config;
    this.#https = config.server.startsWith('https:');
  }

  /** The agent to use, for the client certificate the credentials carry (if any). */
  agent(clientCert?: { cert: string; key: string }): Agent {
    const certKey = clientCert ? `${clientCert.cert}\n${clientCert.key}` : '';
    if (this.#current?.certKey === certKey) return this.#current.agent;
    if (this.#current) this.#retire(this.#current.agent);
    const agent = this.#create(clientCert);
    this.#current = { certKey, agent };
    return agent;
  }

  /** Closes every socket, in flight or idle. */
  close(): void {
    this.#current?.agent.destroy();
    this.#current = undefined;
    for (const agent of this.#retired) agent.destroy();
    this.#retired.clear();
  }

  #create(clientCert: { cert: string; key: string } | undefined): Agent {
    const common: AgentOptions = {
      keepAlive: true,
      maxSockets: Infinity,
      scheduling: 'lifo',
      ...(this.#config.proxyEnv ? { proxyEnv: { ...this.#config.proxyEnv } } : {}),
    };
    if (!this.#https) return new http.Agent(common);
    const { tls } = this.#config;
    const cert = clientCert?.cert ?? tls.cert;
    const key = clientCert?.key ?? tls.key;
    return new (https().Agent)({
      ...common,
      rejectUnauthorized: !tls.insecureSkipVerify,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
      ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
    });
  }

  #retire(agent: Agent): void {
    this.#retired.add(agent);
    for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
    agent.on('free', (socket: Socket) => socket.destroy());
  }
}
