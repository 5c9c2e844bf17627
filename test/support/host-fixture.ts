/**
 * An embedded API server and a real Host against it, for end-to-end tests: operators are
 * applied as WasmOperator objects, and the test reads the world through its own client.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { startApiServer, type ApiServer } from '../../src/apiserver/index.ts';
import { applyDocuments } from '../../src/control/index.ts';
import { KubeClient, RestMapper, loadKubeConfig, type KubeResponse } from '../../src/kube/index.ts';
import { createLogger, type Logger, type LogLevel } from '../../src/log/index.ts';
import { Host, type HostOptions, type WasmOperator } from '../../src/runtime/index.ts';

export interface LogLine {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
  /** When the line was logged (Date.now()). */
  atMs: number;
}

export class HostFixture {
  readonly server: ApiServer;
  readonly kube: KubeClient;
  readonly mapper: RestMapper;
  readonly directory: string;
  readonly logs: LogLine[] = [];
  readonly logger: Logger;
  host: Host | undefined;

  private constructor(server: ApiServer, kube: KubeClient, directory: string) {
    this.server = server;
    this.kube = kube;
    this.mapper = new RestMapper(kube);
    this.directory = directory;
    const text = createLogger({ format: 'text', level: 'debug', write: (line) => (process.env.HOST_LOGS ? process.stderr.write(line) : undefined) });
    const collect = (bound: Record<string, unknown>): Logger => ({
      log: (level, event, fields = {}) => {
        this.logs.push({ level, event, fields: { ...bound, ...fields }, atMs: Date.now() });
        text.log(level, event, { ...bound, ...fields });
      },
      child: (fields) => collect({ ...bound, ...fields }),
    });
    this.logger = collect({});
  }

  static async start(): Promise<HostFixture> {
    const directory = await mkdtemp(path.join(tmpdir(), 'wo-host-'));
    const server = await startApiServer({ port: 0 });
    const kubeconfig = path.join(directory, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const kube = new KubeClient(await loadKubeConfig({ explicitPath: kubeconfig, env: {} }));
    return new HostFixture(server, kube, directory);
  }

  /** Starts (or restarts, on the same state directory) the host. */
  async startHost(options: Partial<HostOptions> = {}): Promise<Host> {
    this.host = await Host.create({ kube: this.kube, stateDirectory: path.join(this.directory, 'state'), logger: this.logger, ...options });
    return this.host;
  }

  /** Applies YAML documents (CRDs, namespaces, objects) with server-side apply. */
  async apply(yamlText: string): Promise<void> {
    const docs = yamlText.split(/^---$/m).map((d) => parse(d) as unknown).filter((d) => d !== null && d !== undefined);
    await applyDocuments(docs, this.kube, this.mapper, this.logger, { fieldManager: 'test' });
  }

  /** Writes the module to the fixture's directory and applies a WasmOperator running it. */
  async run(name: string, wasm: Uint8Array, spec: Partial<WasmOperator['spec']> = {}): Promise<void> {
    const file = path.join(this.directory, `${name}.wasm`);
    await writeFile(file, wasm);
    const operator: WasmOperator = { apiVersion: 'wasm-operator.dev/v1alpha1', kind: 'WasmOperator', metadata: { name, namespace: 'default' }, spec: { module: { file }, ...spec } };
    if (this.host === undefined) await this.startHost();
    await this.host!.apply(operator, { baseDir: this.directory });
  }

  async request(method: string, apiPath: string, body?: unknown, contentType?: string): Promise<KubeResponse> {
    return this.kube.request({ method, path: apiPath, ...(body === undefined ? {} : { body }), ...(contentType === undefined ? {} : { contentType }) });
  }

  /** GETs `apiPath` until `predicate` holds for the body; fails with the last body after `timeoutMs`. */
  async waitFor<T>(apiPath: string, predicate: (body: T, status: number) => boolean, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: { status: number; body: unknown } = { status: 0, body: undefined };
    while (Date.now() < deadline) {
      const response = await this.request('GET', apiPath);
      last = { status: response.status, body: response.body };
      if (predicate(response.body as T, response.status)) return response.body as T;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting on ${apiPath}; last answer ${last.status}: ${JSON.stringify(last.body)}`);
  }

  /** Waits until `predicate` holds (for state that is not on the API server). */
  async until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    await this.host?.stop();
    this.kube.close();
    await this.server.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}
