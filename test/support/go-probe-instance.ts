/**
 * Test support for test/go-runtime-snapshot.test.ts: one instance of a Go reactor with the
 * smallest WASI Go's runtime needs, a clock the test controls, JSPI around every export, and
 * snapshot/restore of all memory plus every mutable global (through
 * `exportMutableGlobals`). It stands in for the wasm engine (src/wasm) until that is on
 * this branch, and stays deliberately small: it is a probe of Go's runtime, not a host.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { exportMutableGlobals } from './export-mutable-globals.ts';

interface WasmGlobal { value: number | bigint }
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
type WasmModule = { readonly __module: unique symbol };
interface JsApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(module: WasmModule): Array<{ module: string; name: string }> };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Suspending: new (fn: (...args: never[]) => unknown) => unknown;
  promising(fn: unknown): (...args: unknown[]) => Promise<unknown>;
}
const wasm = (globalThis as unknown as { WebAssembly: JsApi }).WebAssembly;

/** The clocks a probe sees, and how it sleeps (WASI `poll_oneoff` on a clock). */
export interface ProbeClock {
  monotonicNs(): bigint;
  realtimeNs(): bigint;
  sleep(ns: bigint): Promise<void>;
}

/**
 * A clock that moves only when read (1 µs a read) or slept on: with it the Go runtime does
 * the same thing on every run, so two instances can be compared byte for byte. `shift`
 * moves it, as a restore on another machine (or after a reboot) would see.
 */
export class VirtualClock implements ProbeClock {
  #ns = 1_000_000_000n;
  /** A sleep longer than this throws (the call fails) instead of passing: a stand-in for a host's deadline. */
  maxSleepNs = 60_000_000_000n;
  monotonicNs(): bigint {
    return (this.#ns += 1_000n);
  }
  realtimeNs(): bigint {
    return 1_750_000_000_000_000_000n + this.monotonicNs();
  }
  async sleep(ns: bigint): Promise<void> {
    if (ns > this.maxSleepNs) throw new Error(`the guest asked to sleep ${Number(ns / 1_000_000n) / 1000} s`);
    this.#ns += ns;
    await nextTurn(); // the guest really suspends
  }
  shift(ns: bigint): void {
    this.#ns += ns;
  }
}

/** A compiled probe: the module with its mutable globals exported. */
export class ProbeModule {
  readonly module: WasmModule;
  readonly globals: number[];
  constructor(bytes: Uint8Array) {
    const rewritten = exportMutableGlobals(bytes);
    this.module = new wasm.Module(rewritten.bytes);
    this.globals = rewritten.globals;
  }
}

/** All of an instance's state between two calls. */
export interface ProbeSnapshot {
  memory: Uint8Array;
  globals: Array<number | bigint>;
}

const pageBytes = 65_536;

export class ProbeInstance {
  readonly reports: unknown[] = [];
  readonly stderr: string[] = [];
  readonly #module: ProbeModule;
  readonly #clock: ProbeClock;
  readonly #exports: Record<string, unknown>;
  #random: number;

  private constructor(module: ProbeModule, clock: ProbeClock, seed: number) {
    this.#module = module;
    this.#clock = clock;
    this.#random = seed;
    const provided = this.#imports();
    const imports: Record<string, Record<string, unknown>> = {};
    for (const { module: from, name } of wasm.Module.imports(module.module)) {
      // the rest of WASI (files, sockets) answers EBADF: the probe has no file descriptors
      (imports[from] ??= {})[name] = provided[from]?.[name] ?? (() => 8);
    }
    this.#exports = new wasm.Instance(module.module, imports).exports;
  }

  /** A cold start: instantiate and run `_initialize` (Go's runtime and package init). */
  static async start(module: ProbeModule, clock: ProbeClock, seed = 1): Promise<ProbeInstance> {
    const instance = new ProbeInstance(module, clock, seed);
    await instance.call('_initialize');
    return instance;
  }

  /** A fresh instance that never runs `_initialize`: all of its state comes from `snapshot`. */
  static restore(module: ProbeModule, clock: ProbeClock, snapshot: ProbeSnapshot): ProbeInstance {
    const instance = new ProbeInstance(module, clock, 0);
    const memory = instance.#memory();
    const missing = snapshot.memory.length - memory.buffer.byteLength;
    if (missing > 0) memory.grow(missing / pageBytes);
    new Uint8Array(memory.buffer).set(snapshot.memory);
    module.globals.forEach((index, i) => {
      (instance.#exports[`__global_${index}`] as WasmGlobal).value = snapshot.globals[i]!;
    });
    return instance;
  }

  /** Calls an export through `WebAssembly.promising`, so its imports may suspend. */
  async call(name: string, ...args: number[]): Promise<unknown> {
    return wasm.promising(this.#exports[name])(...args);
  }

  snapshot(): ProbeSnapshot {
    return {
      memory: new Uint8Array(this.#memory().buffer).slice(),
      globals: this.#module.globals.map((index) => (this.#exports[`__global_${index}`] as WasmGlobal).value),
    };
  }

  #memory(): WasmMemory {
    return this.#exports.memory as WasmMemory;
  }

  #view(): DataView {
    return new DataView(this.#memory().buffer);
  }

  #text(ptr: number, len: number): string {
    return new TextDecoder().decode(new Uint8Array(this.#memory().buffer, ptr, len));
  }

  #imports(): Record<string, Record<string, unknown>> {
    const clock = this.#clock;
    const ok = 0;
    const noArgs = (countPtr: number, sizePtr: number) => {
      this.#view().setUint32(countPtr, 0, true);
      this.#view().setUint32(sizePtr, 0, true);
      return ok;
    };
    return {
      probe: {
        wait: new wasm.Suspending(async (k: number) => {
          await nextTurn();
          return k * 7 + 1;
        }),
        report: (ptr: number, len: number) => {
          this.reports.push(JSON.parse(this.#text(ptr, len)));
        },
      },
      wasi_snapshot_preview1: {
        args_sizes_get: noArgs,
        args_get: () => ok,
        environ_sizes_get: noArgs,
        environ_get: () => ok,
        sched_yield: () => ok,
        proc_exit: (code: number) => {
          throw new Error(`proc_exit(${code}): ${this.stderr.join('')}`);
        },
        clock_time_get: (id: number, _precision: bigint, out: number) => {
          this.#view().setBigUint64(out, id === 0 ? clock.realtimeNs() : clock.monotonicNs(), true);
          return ok;
        },
        random_get: (ptr: number, len: number) => {
          // deterministic, so two instances seeded alike start alike
          const bytes = new Uint8Array(this.#memory().buffer, ptr, len);
          for (let i = 0; i < len; i++) {
            this.#random = (Math.imul(this.#random, 1664525) + 1013904223) >>> 0;
            bytes[i] = this.#random >>> 24;
          }
          return ok;
        },
        fd_write: (fd: number, iovs: number, count: number, written: number) => {
          let total = 0;
          for (let i = 0; i < count; i++) {
            const ptr = this.#view().getUint32(iovs + 8 * i, true);
            const len = this.#view().getUint32(iovs + 8 * i + 4, true);
            if (fd === 2 || fd === 1) this.stderr.push(this.#text(ptr, len));
            total += len;
          }
          this.#view().setUint32(written, total, true);
          return ok;
        },
        poll_oneoff: new wasm.Suspending(async (subs: number, events: number, count: number, eventCount: number) => {
          // Go polls only clocks here (it opens no files): sleep until the earliest, report it
          let earliest: { userdata: bigint; ns: bigint } | undefined;
          for (let i = 0; i < count; i++) {
            const at = subs + 48 * i;
            const view = this.#view();
            if (view.getUint8(at + 8) !== 0) throw new Error('poll_oneoff on a file descriptor');
            const timeout = view.getBigUint64(at + 24, true);
            const absolute = (view.getUint16(at + 40, true) & 1) !== 0;
            const ns = absolute ? timeout - clock.monotonicNs() : timeout;
            if (earliest === undefined || ns < earliest.ns) earliest = { userdata: view.getBigUint64(at, true), ns };
          }
          if (earliest === undefined) return 28; // EINVAL: nothing to wait for
          await clock.sleep(earliest.ns > 0n ? earliest.ns : 0n);
          const view = this.#view();
          view.setBigUint64(events, earliest.userdata, true);
          view.setUint16(events + 8, 0, true);
          view.setUint8(events + 10, 0);
          view.setUint32(eventCount, 1, true);
          return ok;
        }),
      },
    };
  }
}
