/**
 * Test support: runs a built JS operator the way the host does (restore the pre-initialised
 * image instead of `_initialize`, then `wo_init`, then `wo_reconcile`), with the ABI's imports
 * answered from an in-memory cache and a request handler the test provides. It exists so the
 * SDK's behaviour can be tested without the whole host; the end-to-end tests use the real host
 * and the embedded API server.
 */
import { decodeImage, IMAGE_SECTION, restoreImage } from '../../../src/build/toolchains/js/preinit-image.ts';

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface KubeCall {
  method: string;
  path: string;
  query?: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

export interface HarnessOptions {
  /** Objects the cache holds. */
  objects?: Record<string, unknown>[];
  /** Answers kube_request; the default answers 404. */
  kube?: (call: KubeCall) => { status: number; body: unknown };
  env?: Record<string, string>;
}

type Exports = {
  memory: WebAssembly.Memory;
  wo_abi_version(): number;
  wo_alloc(size: number): number;
  wo_init(ptr: number, len: number): void;
  wo_reconcile(ptr: number, len: number): void;
};

/** One running instance of a JS operator, and everything it told the host. */
export class GuestHarness {
  readonly logs: LogLine[] = [];
  readonly calls: KubeCall[] = [];
  results: unknown[] = [];
  readonly #exports: Exports;

  private constructor(exports: Exports) {
    this.#exports = exports;
  }

  /** Instantiates `module`, restores its image, and runs wo_init with `config`. */
  static async start(module: WebAssembly.Module, options: HarnessOptions = {}, config: Record<string, unknown> = {}): Promise<GuestHarness> {
    const image = WebAssembly.Module.customSections(module, IMAGE_SECTION)[0];
    if (!image) throw new Error('the module has no pre-initialised image');
    // Filled in once instantiated; the imports read them lazily.
    const live: { harness?: GuestHarness; memory?: WebAssembly.Memory } = {};
    let pending: Uint8Array | undefined;
    const bytes = (): Uint8Array<ArrayBuffer> => new Uint8Array(live.memory?.buffer ?? new ArrayBuffer(0));
    const view = (): DataView => new DataView(live.memory?.buffer ?? new ArrayBuffer(0));
    const read = (ptr: number, len: number): unknown => JSON.parse(new TextDecoder().decode(bytes().subarray(ptr, ptr + len)));
    const answer = (value: unknown): number => {
      pending = new TextEncoder().encode(JSON.stringify(value));
      return pending.length;
    };
    const objects = options.objects ?? [];
    const matches = (o: Record<string, unknown>, q: Record<string, string>): boolean => {
      const meta = o.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
      if (o.apiVersion !== q.apiVersion || o.kind !== q.kind) return false;
      if (q.namespace !== undefined && meta.namespace !== q.namespace) return false;
      if (q.name !== undefined && meta.name !== q.name) return false;
      if (q.labelSelector) {
        return q.labelSelector.split(',').every((term) => {
          const [k, v] = term.split('=');
          return meta.labels?.[k ?? ''] === v;
        });
      }
      return true;
    };
    const env = Object.entries(options.env ?? {}).map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));
    const imports: WebAssembly.Imports = {
      wasm_operator: {
        kube_request: (ptr: number, len: number) => {
          const call = read(ptr, len) as KubeCall;
          live.harness?.calls.push(call);
          return answer(options.kube ? options.kube(call) : { status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } });
        },
        cache_get: (ptr: number, len: number) => answer(objects.find((o) => matches(o, read(ptr, len) as Record<string, string>)) ?? null),
        cache_list: (ptr: number, len: number) => answer({ items: objects.filter((o) => matches(o, read(ptr, len) as Record<string, string>)) }),
        response_read: (ptr: number, len: number) => {
          if (!pending || pending.length !== len) return -1;
          bytes().set(pending, ptr);
          pending = undefined;
          return len;
        },
        set_result: (ptr: number, len: number) => {
          live.harness?.results.push(read(ptr, len));
        },
        log: (ptr: number, len: number) => {
          live.harness?.logs.push(read(ptr, len) as LogLine);
        },
      },
      wasi_snapshot_preview1: {
        environ_sizes_get: (count: number, size: number) => {
          view().setUint32(count, env.length, true);
          view().setUint32(size, env.reduce((n, e) => n + e.length, 0), true);
          return 0;
        },
        environ_get: (ptrs: number, buf: number) => {
          let at = buf;
          env.forEach((e, i) => {
            view().setUint32(ptrs + i * 4, at, true);
            bytes().set(e, at);
            at += e.length;
          });
          return 0;
        },
        clock_time_get: (_id: number, _precision: bigint, out: number) => {
          view().setBigUint64(out, BigInt(Date.now()) * 1_000_000n, true);
          return 0;
        },
        random_get: (ptr: number, len: number) => {
          crypto.getRandomValues(bytes().subarray(ptr, ptr + len));
          return 0;
        },
        fd_write: () => 8,
        fd_close: () => 8,
        fd_seek: () => 8,
        fd_fdstat_get: () => 8,
        proc_exit: (code: number) => {
          throw new Error(`proc_exit(${code})`);
        },
      },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    const exports = instance.exports as unknown as Exports;
    live.memory = exports.memory;
    restoreImage(live.memory, decodeImage(new Uint8Array(image)));
    const harness = new GuestHarness(exports);
    live.harness = harness;
    harness.#call('wo_init', { abiVersion: 1, operator: { name: 'test-operator' }, config });
    return harness;
  }

  /** Runs one reconcile and returns its outcome (the last set_result, or done). */
  reconcile(request: Record<string, unknown>): unknown {
    return this.#call('wo_reconcile', request);
  }

  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  #call(name: 'wo_init' | 'wo_reconcile', payload: unknown): unknown {
    this.results = [];
    const data = new TextEncoder().encode(JSON.stringify(payload));
    const ptr = this.#exports.wo_alloc(data.length);
    new Uint8Array(this.#exports.memory.buffer).set(data, ptr);
    this.#exports[name](ptr, data.length);
    return this.results.at(-1) ?? { kind: 'done' };
  }
}

/**
 * Returns `module` with its (only) memory capped at `maxPages`, the way the host applies an
 * operator's memory limit, so tests can reach the limit without allocating 4 GiB.
 */
export function withMemoryMaximum(module: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return out;
  };
  let pos = 8;
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = module[pos++] ?? 0;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
  };
  while (pos < module.length) {
    const start = pos;
    const id = module[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 5) {
      if (u32() !== 1) throw new Error('expected one memory');
      const flags = u32();
      const min = u32();
      if (flags !== 0) throw new Error('the memory already has a maximum');
      const body = [1, 1, ...leb(min), ...leb(maxPages)];
      const section = [5, ...leb(body.length), ...body];
      const out = new Uint8Array(module.length - (end - start) + section.length);
      out.set(module.subarray(0, start), 0);
      out.set(section, start);
      out.set(module.subarray(end), start + section.length);
      return out;
    }
    pos = end;
  }
  throw new Error('the module has no memory section');
}
