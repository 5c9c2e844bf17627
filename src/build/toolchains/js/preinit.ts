/**
 * Pre-initialisation (Wizer-style, with our own image format): runs the engine in this build
 * process, lets it evaluate the operator's script once through `wo_js_load`, and keeps the
 * resulting memory as the operator's image. What the script does at load time (parsing,
 * top-level code, building tables) is therefore paid once, at build time.
 *
 * At build time there is no host: the script may log, read the clock and draw random numbers,
 * but calling the Kubernetes API or the cache, or reading environment variables (which would
 * be frozen into the image), fails the build with a message saying where to do it instead.
 */
import { randomFillSync } from 'node:crypto';
import { BuildError } from '../../errors.ts';
import { encodeImage } from './preinit-image.ts';

/** The script failed while loading, or did something load time cannot do. */
export class PreinitError extends BuildError {
  constructor(message: string, logs: readonly string[], cause?: unknown) {
    const tail = logs.length > 0 ? `\n${logs.join('\n')}` : '';
    super(`${message}${tail}`, { lang: 'js', logs }, { cause });
  }
}

/** What pre-initialisation produced. */
export interface Preinitialised {
  /** The encoded image (see preinit-image.ts). */
  image: Uint8Array;
  /** The engine's memory size after loading, in bytes. */
  memoryBytes: number;
  /** Log lines the script wrote while loading. */
  logs: string[];
}

const EBADF = 8;
const WASI_ESUCCESS = 0;

/** Evaluates `script` in a fresh instance of `engine` and captures its memory. */
export async function preinitialise(engine: Uint8Array, script: string): Promise<Preinitialised> {
  const mutable = mutableGlobalCount(engine);
  if (mutable !== 1) {
    throw new PreinitError(`the JS engine has ${mutable} mutable globals; its image format assumes only the stack pointer`, []);
  }
  const logs: string[] = [];
  const live: { memory?: WebAssembly.Memory } = {}; // set once instantiated; imports read it lazily
  const mem = (): Uint8Array<ArrayBuffer> => new Uint8Array(live.memory?.buffer ?? new ArrayBuffer(0));
  const view = (): DataView => new DataView(live.memory?.buffer ?? new ArrayBuffer(0));
  const text = (ptr: number, len: number): string => new TextDecoder().decode(mem().subarray(ptr, ptr + len));
  const refuse = (what: string, instead: string) => (): never => {
    throw new PreinitError(`the operator's script ${what} while loading, at build time; ${instead}`, logs);
  };
  const imports: WebAssembly.Imports = {
    wasm_operator: {
      kube_request: refuse('called the Kubernetes API', 'call it from init or reconcile'),
      cache_get: refuse('read the cache', 'read it from init or reconcile'),
      cache_list: refuse('listed the cache', 'list it from init or reconcile'),
      response_read: refuse('read a host answer', 'call the host from init or reconcile'),
      set_result: () => undefined,
      log: (ptr: number, len: number) => {
        logs.push(describeLog(text(ptr, len)));
      },
    },
    wasi_snapshot_preview1: {
      environ_sizes_get: refuse('read an environment variable', 'read it from init or reconcile (it would be frozen into the image)'),
      environ_get: refuse('read an environment variable', 'read it from init or reconcile (it would be frozen into the image)'),
      clock_time_get: (_id: number, _precision: bigint, out: number) => {
        view().setBigUint64(out, BigInt(Date.now()) * 1_000_000n, true);
        return WASI_ESUCCESS;
      },
      random_get: (ptr: number, len: number) => {
        randomFillSync(mem().subarray(ptr, ptr + len));
        return WASI_ESUCCESS;
      },
      fd_write: (fd: number, iovs: number, count: number, written: number) => {
        let total = 0;
        for (let i = 0; i < count; i++) {
          const ptr = view().getUint32(iovs + i * 8, true);
          const len = view().getUint32(iovs + i * 8 + 4, true);
          logs.push(`fd ${fd}: ${text(ptr, len).trimEnd()}`);
          total += len;
        }
        view().setUint32(written, total, true);
        return WASI_ESUCCESS;
      },
      fd_close: () => EBADF,
      fd_seek: () => EBADF,
      fd_fdstat_get: () => EBADF,
      proc_exit: (code: number): never => {
        throw new PreinitError(`the JS engine exited with code ${code} while loading the script`, logs);
      },
    },
  };
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(engine as Uint8Array<ArrayBuffer>), imports);
  const exports = instance.exports as {
    memory: WebAssembly.Memory;
    _initialize(): void;
    wo_alloc(size: number): number;
    wo_js_load(ptr: number, len: number): number;
  };
  live.memory = exports.memory;
  let status: number;
  try {
    exports._initialize();
    const source = new TextEncoder().encode(script);
    const ptr = exports.wo_alloc(source.length);
    if (ptr === 0) throw new PreinitError('the JS engine could not allocate room for the script', logs);
    mem().set(source, ptr);
    status = exports.wo_js_load(ptr, source.length);
  } catch (err) {
    if (err instanceof PreinitError) throw err;
    throw new PreinitError(`the JS engine trapped while loading the script: ${String(err)}`, logs, err);
  }
  if (status !== 0) throw new PreinitError("the operator's script threw while loading", logs);
  const bytes = new Uint8Array(exports.memory.buffer);
  return { image: encodeImage(bytes), memoryBytes: bytes.length, logs };
}

function describeLog(json: string): string {
  try {
    const entry = JSON.parse(json) as { level?: string; message?: string };
    return `${entry.level ?? 'info'}: ${entry.message ?? json}`;
  } catch {
    return json;
  }
}

/** Counts the mutable globals a module defines (section 6), imported ones aside. */
export function mutableGlobalCount(module: Uint8Array): number {
  let pos = 8;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = module[pos++] ?? 0;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  while (pos < module.length) {
    const id = module[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 6) {
      let mutable = 0;
      const count = u32();
      for (let i = 0; i < count; i++) {
        pos++; // value type
        if (module[pos++] === 1) mutable++;
        skipConstExpr();
      }
      return mutable;
    }
    pos = end;
  }
  return 0;

  function skipConstExpr(): void {
    for (;;) {
      const op = module[pos++];
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23) skipLeb();
      else if (op === 0x43) pos += 4;
      else if (op === 0x44) pos += 8;
      else throw new PreinitError(`unexpected opcode 0x${(op ?? 0).toString(16)} in a global's initialiser`, []);
    }
  }
  function skipLeb(): void {
    while (((module[pos++] ?? 0) & 0x80) !== 0);
  }
}
