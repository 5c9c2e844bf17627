/**
 * One operator's live guest: a WebAssembly instance of a shared WasmModule, its memory, and
 * the rules for entering it.
 *
 * One call at a time. With JSPI a guest waiting on a host function keeps its stack alive, so
 * entering it again before that call returns would interleave two calls on one stack; every
 * entry (call, snapshot, drop) is refused with InstanceBusyError while `phase` is `calling`.
 *
 * Failure is contained. A trap, `proc_exit`, a passed deadline, a memory-limit hit or a
 * throwing host function fails that call with a GuestError and leaves this instance `failed`
 * (its state is undefined); nothing escapes to other instances or the host's event loop.
 */
import { GuestDeadlineError, GuestError, GuestExitError, GuestMemoryLimitError, GuestMemoryRangeError, GuestTrapError, HostFunctionError,
  InstanceBusyError, InstanceCreateError, InstanceUnusableError, InvalidCallError, ModuleError } from './errors.ts';
import { describe } from './module-checks.ts';
import type { HostImport } from './host-import.ts';
import { wasmPageBytes } from './module-loader.ts';
import { engineImportModule, engineImportNames, memoryExportName } from './rewrite/rewrite-module.ts';
import { ProcExit, WasiShim } from './wasi/wasi-shim.ts';
import type { ClockReading, WasiOptions } from './wasi/wasi-shim.ts';
import type { WasmModule } from './wasm-module.ts';

export type InstancePhase = 'idle' | 'calling' | 'snapshot' | 'failed' | 'dropped';

export interface InstanceOptions {
  /** The operator's name: tags logs and errors, and keys its snapshots. */
  operator: string;
  imports?: readonly HostImport[];
  wasi?: WasiOptions;
}

export interface CallOptions {
  /** The call fails with GuestDeadlineError after this long, whether the guest computes or waits. Default: no deadline. */
  timeoutMs?: number;
}

/** Exclusive access to an idle instance's state, for taking or applying a snapshot; `release()` ends it. */
export interface StateAccess {
  /** The whole linear memory; valid until `growTo` or `release`. */
  memory(): Uint8Array;
  growTo(pages: number): void;
  /** Mutable globals' bit patterns, in the module's `stateGlobals` order. */
  readGlobals(): bigint[];
  writeGlobals(bits: readonly bigint[]): void;
  /** The guest's clocks now, as it would read them. */
  readClock(): ClockReading;
  /** Continues the guest's monotonic clock from a reading another instance took (WasiShim.resumeClock). */
  resumeClock(reading: ClockReading): void;
  release(): void;
}

type Exported = Record<string, unknown>;

export class WasmInstance {
  readonly module: WasmModule;
  readonly operator: string;
  #exports: Exported | undefined;
  #memory: WebAssembly.Memory | undefined;
  readonly #wasi: WasiShim;
  readonly #promising = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  readonly #fuelPerCheck: number;
  readonly #onDrop: ((instance: WasmInstance, freedBytes: number) => void) | undefined;
  #phase: InstancePhase = 'idle';
  #failure: GuestError | undefined;
  #callName = '';
  #deadline = Infinity;
  #timeoutMs = Infinity;

  /**
   * Instantiates without running any guest code (the start function is an export after
   * rewriting). The engine creates instances; `onDrop` tells it how much memory a drop freed.
   */
  constructor(module: WasmModule, options: InstanceOptions, engine: { fuelPerCheck: number; onDrop?: (instance: WasmInstance, freedBytes: number) => void }) {
    this.module = module;
    this.operator = options.operator;
    this.#fuelPerCheck = engine.fuelPerCheck;
    this.#onDrop = engine.onDrop;
    this.#wasi = new WasiShim(options.wasi ?? {}, () => this.#liveMemory());
    const imports: Record<string, Record<string, unknown>> = {
      wasi_snapshot_preview1: this.#wasi.imports(),
      [engineImportModule]: {
        [engineImportNames.refuel]: () => this.#refuel(),
        [engineImportNames.growFailed]: (pages: number) => this.#growFailed(pages),
      },
    };
    for (const spec of options.imports ?? []) (imports[spec.module] ??= {})[spec.name] = this.#wrapImport(spec);
    for (const name of module.hostImportNames) {
      const [mod, field] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
      if (imports[mod]?.[field] === undefined) {
        throw new ModuleError('MODULE_IMPORT_MISSING', module.source, `imports ${name}, which the host did not provide to "${this.operator}"`, { import: name });
      }
    }
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module.compiled, imports as WebAssembly.Imports);
    } catch (err) {
      // Typically the address space for another memory (V8 reserves several GiB per memory).
      throw new InstanceCreateError(this.operator, module.source, err);
    }
    this.#exports = instance.exports as Exported;
    this.#memory = this.#exports[memoryExportName] as WebAssembly.Memory;
  }

  get phase(): InstancePhase {
    return this.#phase;
  }

  /** True while a call is in flight (possibly suspended in a host function). */
  get inCall(): boolean {
    return this.#phase === 'calling';
  }

  /** The error that made this instance unusable, if it failed. */
  get failure(): GuestError | undefined {
    return this.#failure;
  }

  /** Bytes of linear memory this instance holds (0 once dropped). */
  get residentBytes(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  /**
   * Calls an export through WebAssembly.promising. Resolves with its result (undefined for
   * none, an array for several; i64 as bigint). Rejects with InstanceBusyError (nothing
   * happened), InstanceUnusableError, or a GuestError (this instance is now failed).
   */
  async call(name: string, args: readonly (number | bigint)[] = [], options: CallOptions = {}): Promise<unknown> {
    this.#enter(`call ${name}`);
    let fn;
    try {
      this.#checkArguments(name, args);
      fn = this.#exportedFunction(name);
    } catch (err) {
      this.#phase = 'idle';
      throw err;
    }
    this.#callName = name;
    this.#timeoutMs = options.timeoutMs ?? Infinity;
    this.#deadline = performance.now() + this.#timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const inner = fn(...args);
    try {
      if (!Number.isFinite(this.#timeoutMs)) return this.#settle(await inner);
      inner.catch(() => {}); // if the deadline wins, the guest's unwinding is reported by then
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(this.#fatal(new GuestDeadlineError(this.operator, name, this.#timeoutMs))), this.#timeoutMs);
      });
      return this.#settle(await Promise.race([inner, expired]));
    } catch (err) {
      throw this.#fatal(this.#classify(err));
    } finally {
      clearTimeout(timer);
      this.#wasi.flush();
      this.#deadline = Infinity;
      if (this.#phase === 'calling') this.#phase = 'idle';
    }
  }

  /** Runs the module's own initialization (start function, then `_initialize`): once, on a cold start only. */
  async initialize(options: CallOptions = {}): Promise<void> {
    const { code } = this.module;
    if (code.startExport !== undefined) await this.call(code.startExport, [], options);
    if (code.hasInitialize) await this.call('_initialize', [], options);
  }

  /** A copy of `length` bytes at `ptr`; throws GuestMemoryRangeError when outside memory. */
  readBytes(ptr: number, length: number): Uint8Array {
    return this.memoryView(ptr, length).slice();
  }

  writeBytes(ptr: number, bytes: Uint8Array): void {
    this.memoryView(ptr, bytes.length).set(bytes);
  }

  /** A view of guest memory without copying; valid until the guest next runs (its memory may grow). */
  memoryView(ptr: number, length: number): Uint8Array {
    const memory = this.#liveMemory();
    const size = memory.buffer.byteLength;
    if (!Number.isInteger(ptr) || !Number.isInteger(length) || ptr < 0 || length < 0 || ptr + length > size) {
      throw new GuestMemoryRangeError(this.operator, ptr, length, size);
    }
    return new Uint8Array(memory.buffer, ptr, length);
  }

  /** Takes exclusive access to the state of an idle instance (the engine's snapshot and restore use it). */
  lockState(): StateAccess {
    this.#enter('a snapshot', 'snapshot');
    const globals = this.module.stateGlobals;
    const fn = (name: string) => this.#exports![name] as (...args: unknown[]) => unknown;
    let held = true;
    const check = () => {
      if (!held) throw new Error('state access used after release');
    };
    return {
      memory: () => (check(), new Uint8Array(this.#liveMemory().buffer)),
      growTo: (pages) => {
        check();
        const memory = this.#liveMemory();
        const current = memory.buffer.byteLength / wasmPageBytes;
        if (pages > current) memory.grow(pages - current);
      },
      readGlobals: () => (check(), globals.map((g) => {
        const value = fn(g.getter)() as number | bigint;
        return typeof value === 'bigint' ? BigInt.asUintN(64, value) : BigInt(value >>> 0);
      })),
      writeGlobals: (bits) => {
        check();
        globals.forEach((g, i) => {
          const value = bits[i] ?? 0n;
          fn(g.setter)(g.type === 'i64' || g.type === 'f64' ? BigInt.asIntN(64, value) : Number(BigInt.asIntN(32, value)));
        });
      },
      readClock: () => (check(), this.#wasi.clockReading()),
      resumeClock: (reading) => {
        check();
        this.#wasi.resumeClock(reading);
      },
      release: () => {
        if (held && this.#phase === 'snapshot') this.#phase = 'idle';
        held = false;
      },
    };
  }

  /**
   * Lets go of the instance so its memory can return to the OS (the engine then schedules a
   * collection). Refused while a call is in flight; dropping twice is harmless.
   */
  drop(): void {
    if (this.#phase === 'calling' || this.#phase === 'snapshot') throw new InstanceBusyError(this.operator, 'drop', this.#phase);
    if (this.#phase === 'dropped') return;
    const freed = this.residentBytes;
    this.#phase = 'dropped';
    this.#exports = undefined;
    this.#memory = undefined;
    this.#promising.clear();
    this.#onDrop?.(this, freed);
  }

  #enter(attempted: string, phase: InstancePhase = 'calling'): void {
    if (this.#phase === 'calling' || this.#phase === 'snapshot') throw new InstanceBusyError(this.operator, attempted, this.#phase);
    if (this.#phase !== 'idle') throw new InstanceUnusableError(this.operator, attempted, this.#phase, this.#failure);
    this.#phase = phase;
  }

  #liveMemory(): WebAssembly.Memory {
    if (this.#memory === undefined) throw new InstanceUnusableError(this.operator, 'memory access', this.#phase, this.#failure);
    return this.#memory;
  }

  #exportedFunction(name: string): (...args: unknown[]) => Promise<unknown> {
    let fn = this.#promising.get(name);
    if (fn === undefined) {
      const exported = this.#exports?.[name];
      if (typeof exported !== 'function') {
        throw new ModuleError('MODULE_EXPORT_MISSING', this.module.source, `does not export the function ${name}`, { export: name });
      }
      fn = WebAssembly.promising(exported as (...args: unknown[]) => unknown) as (...args: unknown[]) => Promise<unknown>;
      this.#promising.set(name, fn);
    }
    return fn;
  }

  /** Wrong arguments would fail inside the call and fail the instance with it; refuse them before. */
  #checkArguments(name: string, args: readonly (number | bigint)[]): void {
    const type = this.module.exportType(name);
    if (type === undefined) return;
    if (args.length !== type.params.length) {
      throw new InvalidCallError(this.operator, name, `it takes ${describe(type)}, given ${args.length} argument(s)`);
    }
    type.params.forEach((param, i) => {
      const wanted = param === 'i64' ? 'bigint' : param === 'i32' || param === 'f32' || param === 'f64' ? 'number' : undefined;
      if (wanted !== undefined && typeof args[i] !== wanted) {
        throw new InvalidCallError(this.operator, name, `argument ${i} must be a ${wanted} (${param}), not a ${typeof args[i]}`);
      }
    });
  }

  /** A guest may catch our exception (wasm exception handling); the failure stands regardless. */
  #settle(result: unknown): unknown {
    if (this.#failure !== undefined) throw this.#failure;
    return result;
  }

  #fatal(error: GuestError): GuestError {
    this.#failure ??= error;
    this.#phase = 'failed';
    return this.#failure;
  }

  #classify(err: unknown): GuestError {
    if (this.#failure !== undefined) return this.#failure;
    if (err instanceof GuestError) return err;
    if (err instanceof ProcExit) return new GuestExitError(this.operator, this.#callName, err.exitCode);
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return new GuestTrapError(this.operator, this.#callName, new RangeError('stack overflow (recursion too deep)', { cause: err }));
    }
    return new GuestTrapError(this.operator, this.#callName, err);
  }

  #refuel(): number {
    if (this.#failure !== undefined) throw this.#failure;
    if (performance.now() > this.#deadline) throw this.#fatal(new GuestDeadlineError(this.operator, this.#callName, this.#timeoutMs));
    return this.#fuelPerCheck;
  }

  #growFailed(deltaPages: number): never {
    const current = this.#memory?.buffer.byteLength ?? 0;
    throw this.#fatal(new GuestMemoryLimitError(this.operator, this.#callName, this.module.maxMemoryPages * wasmPageBytes, current + (deltaPages >>> 0) * wasmPageBytes));
  }

  #wrapImport(spec: HostImport): unknown {
    const name = `${spec.module}.${spec.name}`;
    const fn = spec.fn as (...args: unknown[]) => unknown;
    const fail = (err: unknown): never => {
      throw this.#fatal(err instanceof GuestError ? err : new HostFunctionError(this.operator, this.#callName, name, err));
    };
    if (!spec.suspending) {
      return (...args: unknown[]) => {
        try {
          return fn(...args);
        } catch (err) {
          return fail(err);
        }
      };
    }
    return new WebAssembly.Suspending(async (...args: unknown[]) => {
      let result: unknown;
      try {
        result = await fn(...args);
      } catch (err) {
        return fail(err);
      }
      // The deadline passed while the guest waited: unwind its stack now that we can.
      if (this.#failure !== undefined) throw this.#failure;
      return result;
    });
  }
}
