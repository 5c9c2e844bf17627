/**
 * Pre-initialisation (Wizer-style, with the host's own engine and snapshot format): runs the
 * JS engine module in this build process through the wasm engine (src/wasm), exactly as the
 * host will, lets it evaluate the operator's script once through `wo_js_load`, and keeps the
 * instance's state as the operator's image: a snapshot of all its memory and every mutable
 * global, made by `WasmEngine.image`. What the script does at load time (parsing, top-level
 * code, building tables) is therefore paid once, at build time, and a cold start in the host
 * restores the image instead (docs/snapshot-format.md, "Pre-initialised images").
 *
 * At build time there is no host: the script may log, read the clock and draw random numbers,
 * but calling the Kubernetes API or the cache, or reading environment variables (which would
 * be frozen into the image), fails the build with a message saying where to do it instead.
 */
import { AbiSession, type GuestLogRecord } from '../../../abi/index.ts';
import { GuestError, WasmEngine, type HostImport, type WasmInstance } from '../../../wasm/index.ts';
import { BuildError } from '../../errors.ts';

/** The script failed while loading, or did something load time cannot do. */
export class PreinitError extends BuildError {
  constructor(message: string, logs: readonly string[], cause?: unknown) {
    const tail = logs.length > 0 ? `\n${logs.join('\n')}` : '';
    super(`${message}${tail}`, { lang: 'js', logs }, { cause });
  }
}

/** What pre-initialisation produced. */
export interface Preinitialised {
  /** The image: a snapshot in the engine's format, for the `wasm-operator.image` section. */
  image: Uint8Array;
  /** The engine's memory size after loading, in bytes. */
  memoryBytes: number;
  /** Log lines the script wrote while loading. */
  logs: string[];
}

/** Room for the engine and the script at build time; the host refuses an image above an operator's own limit. */
const buildMemoryBytes = 256 * 1024 * 1024;
/** A script still loading after this long (an endless loop at the top level) fails the build. */
const loadTimeoutMs = 60_000;

/** Evaluates `script` in a fresh instance of `engineModule` and captures its state. */
export async function preinitialise(engineModule: Uint8Array, script: string): Promise<Preinitialised> {
  const logs: string[] = [];
  const refuse = (what: string, instead: string) => (): never => {
    throw new PreinitError(`the operator's script ${what} while loading, at build time; ${instead}`, logs);
  };
  const live: { instance?: WasmInstance } = {}; // set once instantiated; imports read it lazily
  const session = new AbiSession({
    kubeRequest: refuse('called the Kubernetes API', 'call it from init or reconcile'),
    cacheGet: refuse('read the cache', 'read it from init or reconcile'),
    cacheList: refuse('listed the cache', 'list it from init or reconcile'),
    log: (record: GuestLogRecord) => logs.push(`${record.level}: ${record.message}`),
  }, () => ({ read: (ptr, len) => live.instance!.readBytes(ptr, len), write: (ptr, bytes) => live.instance!.writeBytes(ptr, bytes) }));
  const environment = refuse('read an environment variable', 'read it from init or reconcile (it would be frozen into the image)');
  // These replace the WASI shim's own environment calls: at build time there is no environment to give.
  const noEnvironment: HostImport[] = ['environ_sizes_get', 'environ_get'].map((name) => ({ module: 'wasi_snapshot_preview1', name, fn: environment, suspending: false }));
  const imports = [...session.imports(), ...noEnvironment];

  const engine = new WasmEngine({ reclaimMemory: false });
  const module = await engine.load(engineModule, { source: 'the JS engine', maxMemoryBytes: buildMemoryBytes, imports, requiredExports: [{ name: 'wo_js_load', params: ['i32', 'i32'], results: ['i32'] }] });
  const wasi = { log: (stream: string, line: string) => logs.push(`${stream}: ${line}`) };
  let status: unknown;
  try {
    const instance = await engine.instantiate(module, { operator: 'preinit', imports, wasi }, { timeoutMs: loadTimeoutMs });
    live.instance = instance;
    const source = new TextEncoder().encode(script);
    const ptr = await instance.call('wo_alloc', [source.length]);
    if (ptr === 0) throw new PreinitError('the JS engine could not allocate room for the script', logs);
    instance.writeBytes(ptr as number, source);
    status = await instance.call('wo_js_load', [ptr as number, source.length], { timeoutMs: loadTimeoutMs });
  } catch (err) {
    if (err instanceof PreinitError) throw err;
    if (err instanceof GuestError && err.cause instanceof PreinitError) throw err.cause;
    const what = err instanceof GuestError && err.code === 'GUEST_DEADLINE' ? `did not finish loading within ${loadTimeoutMs / 1000} s` : `trapped while loading: ${(err as Error).message}`;
    throw new PreinitError(`the operator's script ${what}`, logs, err);
  }
  if (status !== 0) throw new PreinitError("the operator's script threw while loading", logs);
  const instance = live.instance;
  const image = await engine.image(instance);
  const memoryBytes = instance.residentBytes;
  instance.drop();
  return { image, memoryBytes, logs };
}
