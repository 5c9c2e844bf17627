/**
 * A synchronous stand-in for the host's side of docs/abi.md, for SDK tests that check what a
 * guest sends through each import and how it reads the answers. Answers come from the
 * test's handlers; no API server, no JSPI. The real host and the conformance suite
 * (test/conformance/) are what prove a guest against the real thing.
 */
import { webAssembly, type WasmMemory } from '../../../src/build/webassembly.ts';

export interface KubeRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

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

export class AbiHarness {
  readonly logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  readonly requests: KubeRequest[] = [];
  #exports!: GuestExports;
  #pending: Uint8Array | undefined;
  #result: unknown;
  readonly #handlers: HarnessHandlers;

  private constructor(handlers: HarnessHandlers) {
    this.#handlers = handlers;
  }

  static async load(wasm: Uint8Array, handlers: HarnessHandlers = {}): Promise<AbiHarness> {
    const harness = new AbiHarness(handlers);
    const module = await webAssembly.compile(wasm);
    const provided = harness.#imports();
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of webAssembly.Module.imports(module)) {
      // WASI calls a runtime links but has no use for here (Go's file calls) answer EBADF: no such file
      const fn = provided[imp.module]?.[imp.name] ?? (imp.module === 'wasi_snapshot_preview1' ? () => 8 : undefined);
      if (fn === undefined) throw new Error(`the harness does not provide ${imp.module}.${imp.name}`);
      (imports[imp.module] ??= {})[imp.name] = fn;
    }
    harness.#exports = (await webAssembly.instantiate(module, imports)).exports as unknown as GuestExports;
    harness.#exports._initialize?.();
    return harness;
  }

  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  abiVersion(): number {
    return this.#exports.wo_abi_version();
  }

  /** Calls `wo_init`; resolves to what the guest passed to set_result (undefined: none). */
  init(payload: unknown): unknown {
    return this.#call('wo_init', payload);
  }

  reconcile(request: unknown): unknown {
    return this.#call('wo_reconcile', request);
  }

  #call(name: 'wo_init' | 'wo_reconcile', payload: unknown): unknown {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const ptr = this.#exports.wo_alloc(bytes.length);
    if (ptr === 0) throw new Error('wo_alloc answered 0');
    this.#bytes(ptr, bytes.length).set(bytes);
    this.#result = undefined;
    try {
      this.#exports[name](ptr, bytes.length);
    } finally {
      this.#pending = undefined; // an answer never outlives the export call
    }
    return this.#result;
  }

  #bytes(ptr: number, len: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.#exports.memory.buffer, ptr, len);
  }

  #json(ptr: number, len: number): unknown {
    return JSON.parse(new TextDecoder().decode(this.#bytes(ptr, len)));
  }

  #answer(value: unknown): number {
    this.#pending = new TextEncoder().encode(JSON.stringify(value));
    return this.#pending.length;
  }

  #view(): DataView {
    return new DataView(this.#exports.memory.buffer);
  }

  #imports(): Record<string, Record<string, (...args: never[]) => unknown>> {
    const h = this.#handlers;
    const env = Object.entries(h.env ?? {}).map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));
    return {
      wasm_operator: {
        kube_request: (ptr: number, len: number) => {
          const request = this.#json(ptr, len) as KubeRequest;
          this.requests.push(request);
          const answer = h.kube?.(request) ?? { status: 404, body: { kind: 'Status', reason: 'NotFound', message: 'no handler' } };
          return this.#answer({ status: answer.status, body: answer.body ?? null });
        },
        cache_get: (ptr: number, len: number) => this.#answer(h.cacheGet?.(this.#json(ptr, len) as Record<string, string>) ?? null),
        cache_list: (ptr: number, len: number) => this.#answer({ items: h.cacheList?.(this.#json(ptr, len) as Record<string, string>) ?? [] }),
        response_read: (ptr: number, len: number) => {
          if (this.#pending === undefined || this.#pending.length !== len) return -1;
          this.#bytes(ptr, len).set(this.#pending);
          this.#pending = undefined;
          return len;
        },
        set_result: (ptr: number, len: number) => {
          this.#result = this.#json(ptr, len);
        },
        log: (ptr: number, len: number) => {
          this.logs.push(this.#json(ptr, len) as AbiHarness['logs'][number]);
        },
      },
      wasi_snapshot_preview1: {
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
        fd_write: () => 52, // ENOSYS: the SDK never writes to stdout
      },
    };
  }
}
