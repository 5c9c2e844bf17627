/**
 * Runs a guest in the host's own engine (src/wasm: rewriting, WASI shim, JSPI, deadlines,
 * memory limit, pre-initialised images) and ABI session (src/abi), as the host does, but with
 * the Kubernetes side answered by the test's handlers. For SDK and example tests that check
 * what a guest sends through each import and how it reads the answers. The conformance suite
 * (test/conformance/) proves guests in the real host against the embedded API server.
 */
import {
  AbiSession, abiVersion, callWithPayload, providedImports, requiredExports,
  type AbiServices, type GuestLogRecord, type GuestResult, type KubeRequest,
} from '../../src/abi/index.ts';
import { MemorySnapshotStore, WasmEngine, type SnapshotRole, type SnapshotStore, type WasiOptions, type WasmInstance, type WasmModule } from '../../src/wasm/index.ts';

export type { KubeRequest };

export interface HarnessHandlers {
  kube?(request: KubeRequest): { status: number; body?: unknown };
  cacheGet?(ref: Record<string, string>): unknown;
  cacheList?(query: Record<string, string>): unknown[];
  env?: Record<string, string>;
  /** The wall clock the guest sees; default Date.now. */
  nowMs?(): number;
  /** The guest's memory limit, as an operator's (default 256 MiB). */
  maxMemoryBytes?: number;
  /** Each call's deadline (default 10 s). */
  timeoutMs?: number;
  /** Where `snapshot` and `suspend` write and `wake` reads; default in memory. */
  snapshots?: SnapshotStore;
}

/** One engine for every harness in a test process: each module's code is compiled once, as in a host. */
const engine = new WasmEngine();

export class AbiHarness {
  readonly logs: GuestLogRecord[] = [];
  readonly requests: KubeRequest[] = [];
  /** What the guest wrote to stdout and stderr, line by line. */
  readonly output: string[] = [];
  /** Where `snapshot` and `suspend` write, and `wake` reads. */
  readonly snapshots: SnapshotStore;
  readonly #session: AbiSession;
  readonly #timeoutMs: number;
  #module!: WasmModule;
  #wasi!: WasiOptions;
  #instance!: WasmInstance;

  private constructor(handlers: HarnessHandlers) {
    this.#timeoutMs = handlers.timeoutMs ?? 10_000;
    this.snapshots = handlers.snapshots ?? new MemorySnapshotStore();
    const services: AbiServices = {
      kubeRequest: async (request) => {
        this.requests.push(request);
        const answer = handlers.kube?.(request) ?? { status: 404, body: { kind: 'Status', reason: 'NotFound', message: 'no handler' } };
        return { status: answer.status, body: answer.body ?? null };
      },
      cacheGet: (request) => handlers.cacheGet?.({ ...request }) ?? null,
      cacheList: (request) => handlers.cacheList?.({ ...request }) ?? [],
      log: (record) => this.logs.push(record),
    };
    this.#session = new AbiSession(services, () => ({
      read: (ptr, len) => this.#instance.readBytes(ptr, len),
      write: (ptr, bytes) => this.#instance.writeBytes(ptr, bytes),
    }));
  }

  /**
   * Loads the guest and starts it cold as the host does: from its pre-initialised image when
   * it has one (JS operators), else through its own initialization (`_initialize`).
   */
  static async load(wasm: Uint8Array, handlers: HarnessHandlers = {}): Promise<AbiHarness> {
    const harness = new AbiHarness(handlers);
    const module = await engine.load(wasm, { source: 'guest.wasm', maxMemoryBytes: handlers.maxMemoryBytes ?? 256 * 1024 * 1024, imports: providedImports, requiredExports });
    const { nowMs } = handlers;
    const wasi: WasiOptions = {
      env: handlers.env ?? {},
      log: (stream, line) => harness.output.push(`${stream}: ${line}`),
      ...(nowMs === undefined ? {} : { clock: { realtimeNs: () => BigInt(nowMs()) * 1_000_000n, monotonicNs: () => process.hrtime.bigint() } }),
    };
    harness.#module = module;
    harness.#wasi = wasi;
    harness.#instance = await engine.instantiate(module, harness.#instanceOptions(), { timeoutMs: harness.#timeoutMs });
    return harness;
  }

  /** Snapshots the guest as the host does: `base` right after `init`, `latest` (a delta against it) later. */
  snapshot(role: SnapshotRole): Promise<{ sizeBytes: number }> {
    return engine.snapshot(this.#instance, this.snapshots, role, { abiVersion });
  }

  /** Suspends the guest as the host does: a `latest` snapshot, then its instance is dropped. */
  suspend(): Promise<{ sizeBytes: number }> {
    return engine.suspend(this.#instance, this.snapshots, { abiVersion });
  }

  /** Wakes a suspended guest as the host does: a fresh instance in the state of its snapshots, no guest code run. */
  async wake(): Promise<void> {
    const restored = await engine.restore(this.#module, this.snapshots, { ...this.#instanceOptions(), abiVersion });
    if (restored === undefined) throw new Error('the harness holds no snapshot to wake from');
    this.#instance = restored;
  }

  #instanceOptions() {
    return { operator: 'test-operator', imports: this.#session.imports(), wasi: this.#wasi };
  }

  get memoryBytes(): number {
    return this.#instance.residentBytes;
  }

  /** A copy of the guest's linear memory, as a snapshot would take it. */
  memoryCopy(): Uint8Array {
    return this.#instance.readBytes(0, this.#instance.residentBytes);
  }

  async abiVersion(): Promise<number> {
    return (await this.#instance.call('wo_abi_version', [], { timeoutMs: this.#timeoutMs })) as number;
  }

  /** Calls `wo_init`; resolves to the call's outcome (`done` when the guest set none). Guest failures reject with a GuestError. */
  init(payload: unknown): Promise<GuestResult> {
    return callWithPayload(this.#instance, this.#session, 'wo_init', payload, this.#timeoutMs);
  }

  reconcile(request: unknown): Promise<GuestResult> {
    return callWithPayload(this.#instance, this.#session, 'wo_reconcile', request, this.#timeoutMs);
  }
}

/** Cache handlers answering from a list of objects, matching as the host's cache does. */
export function cacheOf(objects: readonly Record<string, unknown>[]): Pick<HarnessHandlers, 'cacheGet' | 'cacheList'> {
  const matches = (object: Record<string, unknown>, q: Record<string, string>): boolean => {
    const meta = object.metadata as { name?: string; namespace?: string; labels?: Record<string, string> };
    if (object.apiVersion !== q.apiVersion || object.kind !== q.kind) return false;
    if (q.namespace !== undefined && meta.namespace !== q.namespace) return false;
    if (q.name !== undefined && meta.name !== q.name) return false;
    return (q.labelSelector ?? '').split(',').filter(Boolean).every((term) => {
      const [key, value] = term.split('=');
      return meta.labels?.[key ?? ''] === value;
    });
  };
  return {
    cacheGet: (ref) => objects.find((o) => matches(o, ref)) ?? null,
    cacheList: (query) => objects.filter((o) => matches(o, query)),
  };
}

/**
 * A guest loaded and past `wo_init`, as the host leaves it before the first reconcile:
 * `objects` fill the cache, `config` is the init payload's config, `initResult` its outcome.
 */
export async function startOperator(
  wasm: Uint8Array,
  handlers: HarnessHandlers & { objects?: readonly Record<string, unknown>[] } = {},
  config: Record<string, unknown> = {},
): Promise<AbiHarness & { initResult: GuestResult }> {
  const guest = await AbiHarness.load(wasm, { ...cacheOf(handlers.objects ?? []), ...handlers });
  const initResult = await guest.init({ abiVersion, operator: { name: 'test-operator' }, config });
  return Object.assign(guest, { initResult });
}
