/**
 * `startApiServer`: an embedded Kubernetes API server on a real HTTP(S) port, with durable
 * storage in a data directory or none at all. See docs/apiserver.md.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WasmOperatorError } from '../errors.ts';
import { CrdController } from './controllers/crd-controller.ts';
import { GarbageCollector } from './controllers/garbage-collector.ts';
import { ensureKubernetesService } from './controllers/kubernetes-service.ts';
import { NamespaceController } from './controllers/namespace-controller.ts';
import { OpenApiV2 } from './discovery/openapi-v2.ts';
import { OpenApiV3 } from './discovery/openapi-v3.ts';
import { kubePatchEngine } from './handlers/kube-patch-engine.ts';
import type { ServerCore } from './handlers/request-context.ts';
import type { JsonObject } from './json.ts';
import { buildKubeconfig, writeKubeconfig } from './kubeconfig.ts';
import { ResourceStore } from './objects/resource-store.ts';
import { builtinTypes } from './registry/builtin-types.ts';
import { crdStorage } from './registry/crd-types.ts';
import { TypeRegistry } from './registry/type-registry.ts';
import { createRequestRouter } from './request-router.ts';
import type { SchemaHooks } from './schema-hooks.ts';
import { SchemaSupport } from './schema-support.ts';
import type { HistoryRetention } from './storage/event-history.ts';
import { ObjectStore } from './storage/object-store.ts';
import { memoryPersistence, type Persistence } from './storage/persistence.ts';
import { SqlitePersistence } from './storage/sqlite-persistence.ts';
import { WatchHub } from './watch/watch-hub.ts';

export interface ApiServerOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Directory of the durable store; omitted: everything lives in memory and is lost on close. */
  dataDir?: string;
  /** Serve HTTPS with a freshly generated self-signed certificate. */
  tls?: boolean;
  /** Require `Authorization: Bearer <token>` on every API request. */
  token?: string;
  /** How much change history watches and paginated lists can reach back into. */
  historyRetention?: Partial<HistoryRetention>;
  /** How often watches that allow bookmarks get one; default 60 s as in kube. */
  bookmarkIntervalMs?: number;
  /** Watches without timeoutSeconds end after between this and twice this; default 1800 s. */
  minRequestTimeoutSeconds?: number;
  /** Validation, defaulting, pruning and printing; default: `SchemaSupport`, as kube-apiserver does them. */
  hooks?: SchemaHooks;
  /** Called with failures of the built-in controllers and of change listeners (default: printed to stderr). */
  onError?: (err: unknown) => void;
}

export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** A kubeconfig that reaches this server as is (with the CA and token when set). */
  readonly kubeconfig: JsonObject;
  /** PEM of the self-signed certificate (TLS only). */
  readonly caCertPem: string | undefined;
  writeKubeconfig(path: string): Promise<void>;
  /** Forgets all watch history now (watches and continue tokens from before get 410). Returns the compacted revision. */
  compact(): number;
  /** Resolves when the built-in controllers have nothing left to do right now. */
  settled(): Promise<void>;
  /** Stops accepting requests, ends open watches, commits and closes the store. */
  close(): Promise<void>;
}

/** The server could not start (port in use, data directory unusable, ...). */
export class ApiServerStartError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown>, cause: unknown) {
    super('APISERVER_START', message, context, { cause });
  }
}

const defaultRetention: HistoryRetention = { maxEvents: 100_000, maxAgeMs: 5 * 60_000 };

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const persistence: Persistence = options.dataDir === undefined ? memoryPersistence : await SqlitePersistence.open(options.dataDir);
  const onError = options.onError ?? ((err: unknown) => process.stderr.write(`apiserver: ${err instanceof Error ? err.stack : String(err)}\n`));
  const store = new ObjectStore(persistence, Date.now, onError);
  const registry = new TypeRegistry(builtinTypes());
  const hooks = options.hooks ?? new SchemaSupport();
  const now = () => new Date();
  const resources = new ResourceStore(store, hooks, now);
  const hub = new WatchHub(store);
  const patch = kubePatchEngine;
  const core: ServerCore = {
    store, resources, registry, hub, hooks, patch, now,
    watch: { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000, minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800 },
  };
  const crds = new CrdController(resources, registry, now, onError, (name, storage) => {
    hooks.forgetCrd?.(name);
    if (storage !== undefined) hub.closeStorage(storage);
  });
  crds.start();
  for (const stored of store.list(crdStorage)) await hooks.prepareCrd?.(stored.object);
  const namespaces = new NamespaceController(resources, registry, now, onError);
  const gc = new GarbageCollector(resources, registry, onError);
  await namespaces.start();

  const retention = { ...defaultRetention, ...options.historyRetention };
  const compaction = setInterval(() => store.compact(retention), Math.min(60_000, retention.maxAgeMs));
  compaction.unref();

  let address = '';
  const openApi = new OpenApiV3(registry, (type) => patch.contentTypes(type));
  const openApiV2 = new OpenApiV2(registry, (type) => patch.contentTypes(type));
  const router = createRequestRouter(core, { token: options.token, openApi, openApiV2, serverAddress: () => address });
  const cert = options.tls === true ? await (await import('./tls.ts')).selfSignedCertificate(host) : undefined;
  const server: Server = cert === undefined ? createHttpServer(router) : createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, router);
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    clearInterval(compaction);
    for (const c of [crds, namespaces, gc]) c.stop();
    await store.close();
    throw new ApiServerStartError(`the API server cannot listen on ${host}:${options.port ?? 0}`, { host, port: options.port }, err);
  }
  const port = (server.address() as AddressInfo).port;
  try {
    await ensureKubernetesService(resources, registry, port);
  } catch (err) {
    clearInterval(compaction);
    for (const c of [crds, namespaces, gc]) c.stop();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    throw new ApiServerStartError('the API server could not create the kubernetes Service', { host, port }, err);
  }
  const urlHost = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  address = `${urlHost}:${port}`;
  const url = `${cert === undefined ? 'http' : 'https'}://${address}`;
  const kubeconfig = buildKubeconfig({ url, caCertPem: cert?.certPem, token: options.token });

  let closing: Promise<void> | undefined;
  return {
    url,
    kubeconfig,
    caCertPem: cert?.certPem,
    writeKubeconfig: (path) => writeKubeconfig(path, kubeconfig),
    compact: () => store.compactTo(),
    settled: async () => {
      for (let i = 0; i < 5; i++) await Promise.all([crds.idle(), namespaces.idle(), gc.idle(), new Promise((r) => setImmediate(r))]);
    },
    close() {
      closing ??= (async () => {
        clearInterval(compaction);
        for (const c of [crds, namespaces, gc]) c.stop();
        hub.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        await store.close();
      })();
      return closing;
    },
  };
}
