/**
 * The host side of the operator ABI (docs/abi.md) for one guest instance: the `wasm_operator`
 * import functions, the pending answer of the two-step read, and the current call's result.
 *
 * The session knows nothing about Kubernetes or wasm engines: it turns guest buffers into
 * typed requests for `AbiServices` and typed answers back into guest buffers. One session
 * serves one instance; the engine guarantees one call at a time, so no locking is needed.
 */
import {
  AbiViolationError,
  parseCacheGetRequest,
  parseCacheListRequest,
  parseGuestLogRecord,
  parseGuestResult,
  parseKubeRequest,
  type CacheGetRequest,
  type CacheListRequest,
  type GuestLogRecord,
  type GuestResult,
  type KubeRequest,
  type KubeResponse,
} from './payloads.ts';

/** The import module name every ABI v1 guest links against. */
export const abiModule = 'wasm_operator';

/** The ABI version this host speaks (the guest's `wo_abi_version` must return it). */
export const abiVersion = 1;

/** What the host does for a guest; the session only translates. */
export interface AbiServices {
  /** Checked against the operator's permissions; answers every failure as a Status response. */
  kubeRequest(request: KubeRequest): Promise<KubeResponse>;
  /** The object, or null; throws (trapping the guest) for a kind the operator neither watches nor owns. */
  cacheGet(request: CacheGetRequest): unknown;
  cacheList(request: CacheListRequest): unknown[];
  log(record: GuestLogRecord): void;
}

/** Reads and writes the guest's linear memory; views are taken fresh because memory can grow. */
export interface GuestMemory {
  read(ptr: number, len: number): Uint8Array;
  write(ptr: number, bytes: Uint8Array): void;
}

/** One import as the wasm engine wires it; `suspending` ones return promises (JSPI). */
export type HostImport =
  | { module: string; name: string; suspending: false; fn: (...args: number[]) => number | void }
  | { module: string; name: string; suspending: true; fn: (...args: number[]) => Promise<number> };

/** Guests may not hand the host (or get back) more than this in one payload. */
export const maxPayloadBytes = 16 * 1024 * 1024;

export class AbiSession {
  readonly #services: AbiServices;
  readonly #memory: () => GuestMemory;
  #pending: Uint8Array | undefined;
  #result: GuestResult | undefined;

  /** `memory` is called on use: the instance (and so its memory) exists only after instantiation. */
  constructor(services: AbiServices, memory: () => GuestMemory) {
    this.#services = services;
    this.#memory = memory;
  }

  /** Resets per-call state; call before entering `wo_init` or `wo_reconcile`. */
  beginCall(): void {
    this.#pending = undefined;
    this.#result = undefined;
  }

  /** The outcome the guest set during the call (`done` if it set none), and drops the pending answer. */
  endCall(): GuestResult {
    const result = this.#result ?? { kind: 'done' };
    this.#pending = undefined;
    this.#result = undefined;
    return result;
  }

  /** The `wasm_operator` imports, bound to this session. */
  imports(): HostImport[] {
    const plain = (name: string, fn: (...args: number[]) => number | void): HostImport => ({ module: abiModule, name, fn, suspending: false });
    return [
      {
        module: abiModule,
        name: 'kube_request',
        suspending: true,
        fn: async (ptr: number, len: number) => {
          const request = parseKubeRequest(this.#read('kube_request', ptr, len));
          const response = isWatch(request) ? watchRefused(request) : await this.#services.kubeRequest(request);
          const bytes = encode(response);
          // The ABI promises a response, never a trap: an oversized one becomes a Status.
          return this.#hold(bytes.length <= maxPayloadBytes ? bytes : encode(tooLarge(request, bytes.length)));
        },
      },
      plain('cache_get', (ptr, len) => {
        const request = parseCacheGetRequest(this.#read('cache_get', ptr, len));
        return this.#answer('cache_get', this.#services.cacheGet(request) ?? null);
      }),
      plain('cache_list', (ptr, len) => {
        const request = parseCacheListRequest(this.#read('cache_list', ptr, len));
        return this.#answer('cache_list', { items: this.#services.cacheList(request) });
      }),
      plain('response_read', (ptr, len) => {
        const pending = this.#pending;
        if (pending === undefined || len !== pending.length) return -1;
        this.#memory().write(ptr, pending);
        this.#pending = undefined;
        return pending.length;
      }),
      plain('set_result', (ptr, len) => {
        this.#result = parseGuestResult(this.#read('set_result', ptr, len));
      }),
      plain('log', (ptr, len) => {
        this.#services.log(parseGuestLogRecord(this.#read('log', ptr, len)));
      }),
    ];
  }

  #read(importName: string, ptr: number, len: number): Uint8Array {
    if (len < 0 || len > maxPayloadBytes) throw new AbiViolationError(importName, `payload length ${len} is outside 0..${maxPayloadBytes}`);
    try {
      return this.#memory().read(ptr >>> 0, len);
    } catch (err) {
      throw new AbiViolationError(importName, `buffer ${ptr >>> 0}+${len} is outside guest memory (${(err as Error).message})`);
    }
  }

  #answer(importName: string, value: unknown): number {
    const bytes = encode(value);
    if (bytes.length > maxPayloadBytes) {
      throw new AbiViolationError(importName, `answer of ${bytes.length} bytes exceeds ${maxPayloadBytes}; narrow the request`);
    }
    return this.#hold(bytes);
  }

  #hold(bytes: Uint8Array): number {
    this.#pending = bytes;
    return bytes.length;
  }
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function isWatch(request: KubeRequest): boolean {
  const watch = request.query.watch;
  return watch === 'true' || watch === '1' || /\/watch\//.test(request.path);
}

function failure(code: number, reason: string, message: string): KubeResponse {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}

function watchRefused(request: KubeRequest): KubeResponse {
  return failure(400, 'BadRequest', `watch requests are not allowed through the operator ABI (${request.path}): the host owns watches; declare the kind in the manifest's watches or owns and read it with cache_get/cache_list`);
}

function tooLarge(request: KubeRequest, sizeBytes: number): KubeResponse {
  return failure(500, 'InternalError', `the response to ${request.method} ${request.path} is ${sizeBytes} bytes, over the ABI's ${maxPayloadBytes}; use limit/continue or a narrower selector`);
}
