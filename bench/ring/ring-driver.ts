/**
 * The ring's driver: creates the TestResource CRD, the namespaces ring-0..ring-N and one
 * TestResource in each; then runs rounds. A round writes a fresh nonce into ring-0 and ends at
 * the watch event that brings it into ring-N, the driver's own namespace (ring-protocol.ts).
 */
import { WasmOperatorError } from '../../src/errors.ts';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DriverClient, DriverRequestError, type KubeObject, type WatchEvent } from './driver-client.ts';
import { apiVersion, closingNamespace, kind, resourceName, resourcesPath, ringNamespace, testResourceCrd } from './ring-protocol.ts';

/** The nonce every TestResource holds before the first round: operators that start later copy it as a no-op. */
export const initialNonce = 'initial';

/** A round did not come back around in time. */
export class RoundTimeoutError extends WasmOperatorError {
  constructor(nonce: string, timeoutMs: number) {
    super('BENCH_ROUND_TIMEOUT', `the nonce ${nonce} did not come back around the ring within ${timeoutMs} ms`, { nonce, timeoutMs });
  }
}

export class RingDriver {
  readonly #client: DriverClient;
  readonly #operators: number;
  #stream: { close(): void } | undefined;
  #resourceVersion = '0';
  readonly #seen = new Map<string, number>();
  #waiter: { nonce: string; resolve(atMs: number): void } | undefined;
  #closed = false;

  private constructor(client: DriverClient, operators: number) {
    this.#client = client;
    this.#operators = operators;
  }

  /** Sets up the ring's objects for `operators` operators and starts watching its closing namespace. */
  static async setUp(apiServerUrl: string, operators: number): Promise<RingDriver> {
    const driver = new RingDriver(new DriverClient(apiServerUrl), operators);
    await driver.#createObjects();
    await driver.#watch();
    return driver;
  }

  /** Writes `nonce` into ring-0 and resolves to the milliseconds until it reaches ring-N. */
  async round(nonce: string, timeoutMs: number): Promise<number> {
    let resolveArrival!: (atMs: number) => void;
    const arrived = new Promise<number>((resolve) => {
      resolveArrival = resolve;
    });
    this.#waiter = { nonce, resolve: resolveArrival };
    const startMs = performance.now();
    await this.#client.request('PATCH', `${resourcesPath(ringNamespace(0))}/${resourceName}`, { spec: { nonce } }, 'application/merge-patch+json');
    const seenAt = this.#seen.get(nonce);
    if (seenAt !== undefined) resolveArrival(seenAt);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RoundTimeoutError(nonce, timeoutMs)), timeoutMs);
    });
    try {
      return (await Promise.race([arrived, timedOut])) - startMs;
    } finally {
      clearTimeout(timer);
      this.#waiter = undefined;
    }
  }

  close(): void {
    this.#closed = true;
    this.#stream?.close();
    this.#client.close();
  }

  async #createObjects(): Promise<void> {
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    await this.#client.request('POST', crdPath, testResourceCrd).catch(ignoreConflict);
    await until(async () => {
      const crd = await this.#client.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `${crdPath}/${testResourceCrd.metadata.name}`);
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
    }, 'the TestResource CRD to be established');
    const indices = Array.from({ length: this.#operators + 1 }, (_, i) => i);
    await inParallel(indices, 8, async (i) => {
      const namespace = ringNamespace(i);
      await this.#client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).catch(ignoreConflict);
      const body = { apiVersion, kind, metadata: { name: resourceName, namespace }, spec: { nonce: initialNonce } };
      await this.#client.request('POST', resourcesPath(namespace), body).catch(ignoreConflict);
    });
  }

  async #watch(): Promise<void> {
    const path = resourcesPath(closingNamespace(this.#operators));
    const list = await this.#client.request<{ metadata: { resourceVersion: string }; items: KubeObject[] }>('GET', path);
    for (const item of list.items) this.#arrived(item);
    this.#resourceVersion = list.metadata.resourceVersion;
    this.#stream = this.#client.watch(path, this.#resourceVersion, (e) => this.#onEvent(e), () => {
      // Watches end (server timeouts, restarts): list again and go on from there.
      if (!this.#closed) void sleep(100).then(() => (this.#closed ? undefined : this.#watch()));
    });
  }

  #onEvent(event: WatchEvent): void {
    if (event.type === 'ERROR') return; // a 410: the stream ends next and #watch lists again
    this.#resourceVersion = event.object.metadata.resourceVersion;
    if (event.type !== 'DELETED') this.#arrived(event.object);
  }

  #arrived(object: KubeObject): void {
    const nonce = object.spec?.nonce;
    if (typeof nonce !== 'string' || object.metadata.name !== resourceName) return;
    const atMs = performance.now();
    this.#seen.set(nonce, atMs);
    if (this.#waiter?.nonce === nonce) this.#waiter.resolve(atMs);
  }
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof DriverRequestError && err.status === 409)) throw err;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
