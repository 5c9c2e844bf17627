/**
 * Runs a guest module on the host's own ABI session (src/abi) with JSPI, as the host will, but
 * with the Kubernetes side answered by the test's handlers and a small WASI of its own. For
 * SDK and example tests that check what a guest sends through each import and how it reads
 * the answers. The conformance suite (test/conformance/) proves guests in the real host
 * against the embedded API server.
 */
import { AbiSession, type AbiServices, type GuestLogRecord, type GuestResult, type KubeRequest } from '../../src/abi/index.ts';
import { decodeImage, encodeImage, IMAGE_SECTION, restoreImage } from '../../src/build/toolchains/js/preinit-image.ts';
import { webAssembly, type CompiledModule, type WasmMemory } from '../../src/build/webassembly.ts';

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

  /**
   * Instantiates the guest (bytes, or a module compiled once and shared) and starts it as the
   * host does: a module with a pre-initialised image (JS operators) gets the image restored
   * instead of `_initialize`. `state`, an image taken with `memoryImage()`, starts it from that
   * state instead, running no guest code: a cold wake.
   */
  static async load(wasm: Uint8Array | CompiledModule, handlers: HarnessHandlers = {}, state?: Uint8Array): Promise<AbiHarness> {
    const harness = new AbiHarness(handlers);
    const module = wasm instanceof Uint8Array ? await webAssembly.compile(wasm) : wasm;
    const provided: Record<string, Record<string, unknown>> = { wasm_operator: {}, wasi_snapshot_preview1: harness.#wasi() };
    for (const imp of harness.#session.imports()) {
      provided[imp.module]![imp.name] = imp.suspending ? new webAssembly.Suspending(imp.fn) : imp.fn;
    }
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of webAssembly.Module.imports(module)) {
      // WASI calls a runtime links but has no use for here (Go's file calls) answer EBADF: no such file
      const fn = provided[imp.module]?.[imp.name] ?? (imp.module === 'wasi_snapshot_preview1' ? () => 8 : undefined);
      if (fn === undefined) throw new Error(`the harness does not provide ${imp.module}.${imp.name}`);
      (imports[imp.module] ??= {})[imp.name] = fn;
    }
    harness.#exports = (await webAssembly.instantiate(module, imports)).exports as unknown as GuestExports;
    harness.#init = webAssembly.promising(harness.#exports.wo_init);
    harness.#reconcile = webAssembly.promising(harness.#exports.wo_reconcile);
    const image = state ?? webAssembly.Module.customSections(module, IMAGE_SECTION)[0];
    if (image === undefined) harness.#exports._initialize?.();
    else restoreImage(harness.#exports.memory as WebAssembly.Memory, decodeImage(new Uint8Array(image)));
    return harness;
  }

  /** The guest's memory, encoded as a pre-initialised image at zstd level 1 (as the host's snapshots are). */
  memoryImage(): Uint8Array {
    return encodeImage(new Uint8Array(this.#exports.memory.buffer), 1);
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

  /** Arguments, environment, wall clock, random and naps: the WASI calls the SDKs make. */
  #wasi(): Record<string, (...args: never[]) => number> {
    const h = this.#handlers;
    const env = Object.entries(h.env ?? {}).map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));
    return {
      args_sizes_get: (countPtr: number, sizePtr: number) => {
        this.#view().setUint32(countPtr, 0, true);
        this.#view().setUint32(sizePtr, 0, true);
        return 0;
      },
      args_get: () => 0,
      sched_yield: () => 0,
      // Go's runtime naps (usleep) now and then; a nap here ends at once, every subscription ready
      poll_oneoff: (subs: number, events: number, count: number, eventCount: number) => {
        for (let i = 0; i < count; i++) {
          this.#view().setBigUint64(events + 32 * i, this.#view().getBigUint64(subs + 48 * i, true), true);
          this.#view().setUint32(events + 32 * i + 8, 0, true);
          this.#view().setUint8(events + 32 * i + 10, this.#view().getUint8(subs + 48 * i + 8));
        }
        this.#view().setUint32(eventCount, count, true);
        return 0;
      },
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
      // linked in by wasi-libc's stdio (the JS engine); no file descriptors here: EBADF
      fd_close: () => 8,
      fd_seek: () => 8,
      fd_fdstat_get: () => 8,
    };
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
  const initResult = await guest.init({ abiVersion: 1, operator: { name: 'test-operator' }, config });
  return Object.assign(guest, { initResult });
}
