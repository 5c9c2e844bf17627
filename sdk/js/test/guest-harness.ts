/**
 * Test support: runs a built JS operator the way the host does (restore the pre-initialised
 * image instead of `_initialize`, then `wo_init`, then `wo_reconcile`), with the host's own
 * ABI session (payload parsers, two-step answers, JSPI for `kube_request`) answering from an
 * in-memory cache and a request handler the test provides. It tests the SDK without the whole
 * host; the end-to-end tests use the real host and the embedded API server.
 */
import { randomFillSync } from 'node:crypto';
import { AbiSession } from '../../../src/abi/index.ts';
import type { GuestLogRecord, GuestResult, KubeRequest } from '../../../src/abi/index.ts';
import { decodeImage, encodeImage, IMAGE_SECTION, restoreImage } from '../../../src/build/toolchains/js/preinit-image.ts';
import type { DecodedImage } from '../../../src/build/toolchains/js/preinit-image.ts';

export type LogLine = GuestLogRecord;
export type KubeCall = KubeRequest;

export interface HarnessOptions {
  /** Objects the cache holds. */
  objects?: Record<string, unknown>[];
  /** Answers kube_request; the default answers 404. */
  kube?: (call: KubeCall) => { status: number; body: unknown };
  env?: Record<string, string>;
}

type GuestCall = (ptr: number, len: number) => Promise<void>;
type Exports = {
  memory: WebAssembly.Memory;
  wo_alloc(size: number): number;
  wo_init: GuestCall;
  wo_reconcile: GuestCall;
};

interface Query {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

function matches(object: Record<string, unknown>, q: Query): boolean {
  const meta = object.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
  if (object.apiVersion !== q.apiVersion || object.kind !== q.kind) return false;
  if (q.namespace !== undefined && meta.namespace !== q.namespace) return false;
  if (q.name !== undefined && meta.name !== q.name) return false;
  return (q.labelSelector ?? '').split(',').filter(Boolean).every((term) => {
    const [key, value] = term.split('=');
    return meta.labels?.[key ?? ''] === value;
  });
}

/** The WASI calls the engine makes, answered like the host's shim (env from the test). */
function wasi(memory: () => WebAssembly.Memory, env: Record<string, string>): Record<string, WebAssembly.ImportValue> {
  const bytes = (): Uint8Array<ArrayBuffer> => new Uint8Array(memory().buffer);
  const view = (): DataView => new DataView(memory().buffer);
  const vars = Object.entries(env).map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));
  const EBADF = 8;
  return {
    environ_sizes_get: (count: number, size: number) => {
      view().setUint32(count, vars.length, true);
      view().setUint32(size, vars.reduce((n, e) => n + e.length, 0), true);
      return 0;
    },
    environ_get: (ptrs: number, buf: number) => {
      let at = buf;
      vars.forEach((e, i) => {
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
      randomFillSync(bytes().subarray(ptr, ptr + len));
      return 0;
    },
    fd_write: () => EBADF,
    fd_close: () => EBADF,
    fd_seek: () => EBADF,
    fd_fdstat_get: () => EBADF,
    proc_exit: (code: number) => {
      throw new Error(`proc_exit(${code})`);
    },
  };
}

/** One running instance of a JS operator, and everything it told the host. */
export class GuestHarness {
  /** What the guest logged, in order. */
  readonly logs: LogLine[];
  /** Every kube_request the guest made, in order. */
  readonly calls: KubeCall[];
  /** The outcome of `wo_init`. */
  initResult: GuestResult | undefined;
  readonly #exports: Exports;
  readonly #session: AbiSession;

  private constructor(exports: Exports, session: AbiSession, calls: KubeCall[], logs: LogLine[]) {
    this.#exports = exports;
    this.#session = session;
    this.calls = calls;
    this.logs = logs;
  }

  /** Instantiates `module`, restores its pre-initialised image, and runs wo_init with `config`. */
  static async start(module: WebAssembly.Module, options: HarnessOptions = {}, config: Record<string, unknown> = {}): Promise<GuestHarness> {
    const image = WebAssembly.Module.customSections(module, IMAGE_SECTION)[0];
    if (!image) throw new Error('the module has no pre-initialised image');
    const harness = await GuestHarness.resume(module, decodeImage(new Uint8Array(image)), options);
    harness.initResult = await harness.#call('wo_init', { abiVersion: 1, operator: { name: 'test-operator' }, config });
    return harness;
  }

  /** Instantiates `module` in the state `snapshot` holds (taken with `snapshot()`), running no guest code. */
  static async resume(module: WebAssembly.Module, snapshot: DecodedImage, options: HarnessOptions = {}): Promise<GuestHarness> {
    const objects = options.objects ?? [];
    const calls: KubeCall[] = [];
    const logs: LogLine[] = [];
    const live: { memory?: WebAssembly.Memory } = {}; // set once instantiated; imports read it lazily
    const memory = (): WebAssembly.Memory => {
      if (!live.memory) throw new Error('no instance yet');
      return live.memory;
    };
    const session = new AbiSession(
      {
        kubeRequest: async (request) => {
          calls.push(request);
          return options.kube ? options.kube(request) : { status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } };
        },
        cacheGet: (request) => objects.find((o) => matches(o, request)) ?? null,
        cacheList: (request) => objects.filter((o) => matches(o, request)),
        log: (record) => logs.push(record),
      },
      () => ({
        read: (ptr, len) => new Uint8Array(memory().buffer, ptr, len).slice(),
        write: (ptr, bytes) => new Uint8Array(memory().buffer).set(bytes, ptr),
      }),
    );
    const abi: Record<string, WebAssembly.ImportValue> = {};
    for (const i of session.imports()) abi[i.name] = i.suspending ? (new WebAssembly.Suspending(i.fn) as unknown as WebAssembly.ImportValue) : i.fn;
    const instance = await WebAssembly.instantiate(module, { wasm_operator: abi, wasi_snapshot_preview1: wasi(memory, options.env ?? {}) });
    const raw = instance.exports as Record<string, unknown>;
    const exports: Exports = {
      memory: raw.memory as WebAssembly.Memory,
      wo_alloc: raw.wo_alloc as (size: number) => number,
      wo_init: WebAssembly.promising(raw.wo_init as (ptr: number, len: number) => void) as GuestCall,
      wo_reconcile: WebAssembly.promising(raw.wo_reconcile as (ptr: number, len: number) => void) as GuestCall,
    };
    live.memory = exports.memory;
    restoreImage(exports.memory, snapshot);
    return new GuestHarness(exports, session, calls, logs);
  }

  /** The instance's memory, encoded like a pre-initialised image but at zstd level 1, as the host's snapshots are. */
  snapshot(): Uint8Array {
    return encodeImage(new Uint8Array(this.#exports.memory.buffer), 1);
  }

  /** Runs one reconcile and returns its outcome (what the guest passed to set_result, or done). */
  reconcile(request: Record<string, unknown>): Promise<GuestResult> {
    return this.#call('wo_reconcile', request);
  }

  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  async #call(name: 'wo_init' | 'wo_reconcile', payload: unknown): Promise<GuestResult> {
    const data = new TextEncoder().encode(JSON.stringify(payload));
    const ptr = this.#exports.wo_alloc(data.length);
    new Uint8Array(this.#exports.memory.buffer).set(data, ptr);
    this.#session.beginCall();
    try {
      await this.#exports[name](ptr, data.length);
    } catch (err) {
      this.#session.endCall(); // a trap: the next call starts clean
      throw err;
    }
    return this.#session.endCall();
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
