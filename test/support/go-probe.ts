/**
 * Test support for test/go-runtime-snapshot.test.ts: the Go runtime probe
 * (test/guests/go/runtime-probe) in the host's wasm engine, with a clock and random source the
 * test controls, so that two instances do exactly the same thing and can be compared byte for
 * byte.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WasmEngine, type HostImport, type SnapshotStore, type WasiClock, type WasmInstance, type WasmModule } from '../../src/wasm/index.ts';

/**
 * A machine's clocks, virtual: the monotonic clock moves only when read (1 µs a read) or slept
 * on, and the wall clock only when slept on, so the Go runtime does the same on every run and
 * the engine's own reads (a snapshot and a restore read the guest's clocks) change nothing the
 * guest sees. `shift` moves the monotonic clock's origin, as on another machine or after a
 * reboot.
 */
export class VirtualClock implements WasiClock {
  #ns = 1_000_000_000n;
  #wallNs = 1_750_000_000_000_000_000n;
  /** A sleep longer than this throws (the call fails) instead of passing: a stand-in for a host's deadline. */
  maxSleepNs = 60_000_000_000n;
  monotonicNs(): bigint {
    return (this.#ns += 1_000n);
  }
  realtimeNs(): bigint {
    return this.#wallNs;
  }
  async sleep(ns: bigint): Promise<void> {
    if (ns > this.maxSleepNs) throw new Error(`the guest asked to sleep ${Number(ns / 1_000_000n) / 1000} s`);
    this.#ns += ns;
    this.#wallNs += ns;
    await nextTurn(); // the guest really suspends
  }
  shift(ns: bigint): void {
    this.#ns += ns;
  }
}

/** Deterministic random bytes, so two instances seeded alike start alike. */
function seededRandom(seed: number): (target: Uint8Array) => void {
  let state = seed;
  return (target) => {
    for (let i = 0; i < target.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      target[i] = state >>> 24;
    }
  };
}

/** The probe compiled in an engine of its own. */
export class GoProbe {
  readonly engine: WasmEngine;
  readonly module: WasmModule;

  private constructor(engine: WasmEngine, module: WasmModule) {
    this.engine = engine;
    this.module = module;
  }

  static async load(bytes: Uint8Array): Promise<GoProbe> {
    const engine = new WasmEngine();
    const imports = [{ module: 'probe', name: 'wait' }, { module: 'probe', name: 'report' }];
    return new GoProbe(engine, await engine.load(bytes, { source: 'runtime-probe.wasm', maxMemoryBytes: 64 << 20, imports }));
  }
}

/** One instance of the probe, and the reports it made. */
export class ProbeInstance {
  readonly reports: unknown[] = [];
  readonly #probe: GoProbe;
  #instance: WasmInstance | undefined;

  private constructor(probe: GoProbe) {
    this.#probe = probe;
  }

  /** A cold start: `_initialize` (Go's runtime and package init, which sleeps through poll_oneoff) runs through the engine with JSPI. */
  static async start(probe: GoProbe, clock: VirtualClock, seed = 1): Promise<ProbeInstance> {
    const probeInstance = new ProbeInstance(probe);
    probeInstance.#instance = await probe.engine.instantiate(probe.module, probeInstance.#options(clock, seed), { timeoutMs: 10_000 });
    return probeInstance;
  }

  /** Suspends this instance into `store` and restores it into a fresh one, which never runs `_initialize`, on `clock`. */
  async suspendAndRestore(store: SnapshotStore, clock: VirtualClock): Promise<ProbeInstance> {
    await this.#probe.engine.suspend(this.#live(), store);
    const restored = new ProbeInstance(this.#probe);
    restored.#instance = await this.#probe.engine.restore(this.#probe.module, store, restored.#options(clock, 0));
    return restored;
  }

  /** Takes a snapshot and goes on (the instance is never restored from it). */
  async snapshot(store: SnapshotStore): Promise<void> {
    await this.#probe.engine.snapshot(this.#live(), store, 'latest');
  }

  /** Calls an export through the engine (WebAssembly.promising), so its imports may suspend. */
  call(name: string, ...args: number[]): Promise<unknown> {
    return this.#live().call(name, args, { timeoutMs: 10_000 });
  }

  /** Memory and globals, as a snapshot holds them. */
  state(): { memory: Uint8Array; globals: bigint[] } {
    const access = this.#live().lockState();
    try {
      return { memory: access.memory().slice(), globals: access.readGlobals() };
    } finally {
      access.release();
    }
  }

  #live(): WasmInstance {
    if (this.#instance === undefined) throw new Error('the probe instance is gone');
    return this.#instance;
  }

  /** `probe.wait` suspends (JSPI) and answers k*7+1; `probe.report` records a JSON line. */
  #options(clock: VirtualClock, seed: number) {
    const imports: HostImport[] = [
      { module: 'probe', name: 'wait', suspending: true, fn: async (k: number) => (await nextTurn(), k * 7 + 1) },
      { module: 'probe', name: 'report', suspending: false, fn: (ptr: number, len: number) => void this.reports.push(JSON.parse(new TextDecoder().decode(this.#live().readBytes(ptr, len)))) },
    ];
    return { operator: 'probe', imports, wasi: { clock, random: seededRandom(seed) } };
  }
}
