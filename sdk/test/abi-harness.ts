/**
 * Runs a guest module on the host's own ABI session (src/abi) with JSPI, as the host will, but
 * with the Kubernetes side answered by the test's handlers and a small WASI of its own. For
 * SDK and example tests that check what a guest sends through each import and how it reads
 * the answers. The conformance suite (test/conformance/) proves guests in the real host
 * against the embedded API server.
 */
import { AbiSession, type AbiServices, type GuestLogRecord, type GuestResult, type KubeRequest } from '../../src/abi/index.ts';
import { webAssembly, type WasmMemory } from '../../src/build/webassembly.ts';

export type { KubeRequest };

export interface HarnessHandlers {
  kube?(request: KubeRequest): { status: number; body?: unknown };
  cacheGet?(ref: Record<string, string>): unknown;
  cacheList?(query: Record<string, string>): unknown[];
  env?: Record<string, string>;
  /** The wall clock the guest sees; default Date.now. */
  nowMs?(): number;
}

interface GuestExports {
  memory: WasmMemory;
  _initialize?(): void;
  wo_abi_version(): number;
  wo_alloc(size: number): number;
  wo_init(ptr: number, len: number): void;
  wo_reconcile(ptr: number, len: number): void;
}

type ExportCall = (ptr: number, len: number) => Promise<unknown>;

export class AbiHarness {
  readonly logs: GuestLogRecord[] = [];
  readonly requests: KubeRequest[] = [];
  readonly #session: AbiSession;
  readonly #handlers: HarnessHandlers;
  #exports!: GuestExports;
  #init!: ExportCall;
  #reconcile!: ExportCall;

  private constructor(handlers: HarnessHandlers) {
    this.#handlers = handlers;
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
      read: (ptr, len) => this.#bytes(ptr, len).slice(),
      write: (ptr, bytes) => this.#bytes(ptr, bytes.length).set(bytes),
    }));
  }

  static async load(wasm: Uint8Array, handlers: HarnessHandlers = {}): Promise<AbiHarness> {
    const harness = new AbiHarness(handlers);
    const module = await webAssembly.compile(wasm);
    const provided: Record<string, Record<string, unknown>> = { wasm_operator: {}, wasi_snapshot_preview1: harness.#wasi() };
    for (const imp of harness.#session.imports()) {
      provided[imp.module]![imp.name] = imp.suspending ? new webAssembly.Suspending(imp.fn) : imp.fn;
    }
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of webAssembly.Module.imports(module)) {
      const fn = provided[imp.module]?.[imp.name];
      if (fn === undefined) throw new Error(`the harness does not provide ${imp.module}.${imp.name}`);
      (imports[imp.module] ??= {})[imp.name] = fn;
    }
    harness.#exports = (await webAssembly.instantiate(module, imports)).exports as unknown as GuestExports;
    harness.#init = webAssembly.promising(harness.#exports.wo_init);
    harness.#reconcile = webAssembly.promising(harness.#exports.wo_reconcile);
    harness.#exports._initialize?.();
    return harness;
  }

  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  /** A copy of the guest's linear memory, as a snapshot would take it. */
  memoryCopy(): Uint8Array {
    return new Uint8Array(this.#exports.memory.buffer).slice();
  }

  abiVersion(): number {
    return this.#exports.wo_abi_version();
  }

  /** Calls `wo_init`; resolves to the call's outcome (`done` when the guest set none). */
  init(payload: unknown): Promise<GuestResult> {
    return this.#call(this.#init, payload);
  }

  reconcile(request: unknown): Promise<GuestResult> {
    return this.#call(this.#reconcile, request);
  }

  async #call(fn: ExportCall, payload: unknown): Promise<GuestResult> {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const ptr = this.#exports.wo_alloc(bytes.length);
    if (ptr === 0) throw new Error('wo_alloc answered 0');
    this.#bytes(ptr, bytes.length).set(bytes);
    this.#session.beginCall();
    try {
      await fn(ptr, bytes.length);
    } catch (err) {
      this.#session.endCall(); // drops the pending answer: it never outlives the call
      throw err;
    }
    return this.#session.endCall();
  }

  #bytes(ptr: number, len: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.#exports.memory.buffer, ptr, len);
  }

  #view(): DataView {
    return new DataView(this.#exports.memory.buffer);
  }

  /** Environment, wall clock and random: the WASI calls the SDKs make. */
  #wasi(): Record<string, (...args: never[]) => number> {
    const h = this.#handlers;
    const env = Object.entries(h.env ?? {}).map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));
    return {
      environ_sizes_get: (countPtr: number, sizePtr: number) => {
        this.#view().setUint32(countPtr, env.length, true);
        this.#view().setUint32(sizePtr, env.reduce((n, e) => n + e.length, 0), true);
        return 0;
      },
      environ_get: (pointers: number, buf: number) => {
        let at = buf;
        env.forEach((e, i) => {
          this.#view().setUint32(pointers + 4 * i, at, true);
          this.#bytes(at, e.length).set(e);
          at += e.length;
        });
        return 0;
      },
      clock_time_get: (_clock: number, _precision: bigint, out: number) => {
        this.#view().setBigUint64(out, BigInt(h.nowMs?.() ?? Date.now()) * 1_000_000n, true);
        return 0;
      },
      random_get: (ptr: number, len: number) => {
        crypto.getRandomValues(this.#bytes(ptr, len));
        return 0;
      },
      proc_exit: (code: number) => {
        throw new Error(`proc_exit(${code})`);
      },
      fd_write: () => 52, // ENOSYS: the SDKs do not write to stdout
    };
  }
}
