/**
 * A WASI preview1 implementation under the host's control: our own, because `node:wasi`
 * warns that it is experimental and hands a guest the real clocks, streams and (with
 * preopens) files, while an operator should get none of that.
 *
 * What a guest gets: its args and environment from the operator's config; stdout and stderr
 * as log lines (tagged by whoever supplies `log`); realtime and monotonic clocks; random
 * bytes; `poll_oneoff` on clocks as a sleep that suspends only this guest (JSPI); stdin at
 * end of file. What it does not get: files (there are no preopened directories, so every
 * path call fails with EBADF), sockets, signals. `proc_exit` throws ProcExit, which the
 * instance turns into a GuestExitError for that one operator.
 */
import { randomFillSync } from 'node:crypto';
import { LineSplitter } from './line-splitter.ts';
import { wasiSignatures } from './wasi-signatures.ts';

const errno = { success: 0, badf: 8, fault: 21, inval: 28, notsup: 58, spipe: 70 } as const;
const clockIds = { realtime: 0, monotonic: 1, processCpu: 2, threadCpu: 3 } as const;
const filetypeCharacterDevice = 2;
const rightFdRead = 1n << 1n;
const rightFdWrite = 1n << 6n;

/** Clocks a guest sees, and how it sleeps; inject others for deterministic tests. */
export interface WasiClock {
  realtimeNs(): bigint;
  monotonicNs(): bigint;
  /** Resolves after `ns` on this clock (`poll_oneoff`); default: a real timer. */
  sleep?(ns: bigint): Promise<void>;
}

export const systemClock: WasiClock = {
  realtimeNs: () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)),
  monotonicNs: () => process.hrtime.bigint(),
};

function timerSleep(ns: bigint): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Number(ns / 1_000_000n)));
}

/** What a guest's clocks read at one moment; a snapshot keeps it so a restore can continue the monotonic clock. */
export interface ClockReading {
  monotonicNs: bigint;
  realtimeNs: bigint;
}

export interface WasiOptions {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Receives each complete line the guest writes to stdout or stderr. */
  log?: (stream: 'stdout' | 'stderr', line: string) => void;
  clock?: WasiClock;
  /** Fills `target` with random bytes (default: the OS's secure random source). */
  random?: (target: Uint8Array) => void;
}

/** Thrown by `proc_exit` to unwind the guest; never escapes the instance. */
export class ProcExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`guest called proc_exit(${exitCode})`);
    this.exitCode = exitCode;
  }
}

function defaultRandom(target: Uint8Array): void {
  randomFillSync(target);
}

const encoder = new TextEncoder();

/** One instance's WASI state: its stdout/stderr line buffers, and the memory it reads and writes. */
export class WasiShim {
  readonly #memory: () => WebAssembly.Memory;
  readonly #args: Uint8Array[];
  readonly #env: Uint8Array[];
  readonly #clock: WasiClock;
  readonly #random: (target: Uint8Array) => void;
  readonly #stdout: LineSplitter;
  readonly #stderr: LineSplitter;
  /** Added to the clock's monotonic reading: what keeps a restored guest's clock continuous. */
  #monotonicOffsetNs = 0n;

  constructor(options: WasiOptions, memory: () => WebAssembly.Memory) {
    this.#memory = memory;
    this.#args = (options.args ?? []).map((a) => encoder.encode(`${a}\0`));
    this.#env = Object.entries(options.env ?? {}).map(([k, v]) => encoder.encode(`${k}=${v}\0`));
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    const log = options.log ?? (() => {});
    this.#stdout = new LineSplitter((line) => log('stdout', line));
    this.#stderr = new LineSplitter((line) => log('stderr', line));
  }

  /** Emits partial lines; the instance calls it when a call ends, so no output waits for a newline. */
  flush(): void {
    this.#stdout.flush();
    this.#stderr.flush();
  }

  /** The guest's clocks now, as it would read them. */
  clockReading(): ClockReading {
    return { monotonicNs: this.#monotonicNs(), realtimeNs: this.#clock.realtimeNs() };
  }

  /**
   * Continues the guest's monotonic clock from `reading`, taken by another instance (perhaps
   * in another process, before a reboot, or on another machine, whose monotonic clocks have
   * other origins): from now on it reads `reading.monotonicNs` plus the wall time elapsed
   * since `reading.realtimeNs` (none if the wall clock went back), and runs on from there. So
   * it never goes back, and timers a guest armed before the snapshot see the time that passed.
   */
  resumeClock(reading: ClockReading): void {
    const elapsedNs = this.#clock.realtimeNs() - reading.realtimeNs;
    const guestNs = reading.monotonicNs + (elapsedNs > 0n ? elapsedNs : 0n);
    this.#monotonicOffsetNs = guestNs - this.#clock.monotonicNs();
  }

  #monotonicNs(): bigint {
    return this.#clock.monotonicNs() + this.#monotonicOffsetNs;
  }

  #view(): DataView {
    return new DataView(this.#memory().buffer);
  }

  #bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.#memory().buffer, ptr, len);
  }

  /** Writes a list of NUL-terminated strings the way args_get and environ_get do. */
  #writeList(items: Uint8Array[], pointers: number, buffer: number): number {
    const view = this.#view();
    let offset = buffer;
    items.forEach((item, i) => {
      view.setUint32(pointers + i * 4, offset, true);
      this.#bytes(offset, item.length).set(item);
      offset += item.length;
    });
    return errno.success;
  }

  #writeSizes(items: Uint8Array[], countPtr: number, sizePtr: number): number {
    const view = this.#view();
    view.setUint32(countPtr, items.length, true);
    view.setUint32(sizePtr, items.reduce((n, item) => n + item.length, 0), true);
    return errno.success;
  }

  #now(clockId: number): bigint | undefined {
    switch (clockId) {
      case clockIds.realtime: return this.#clock.realtimeNs();
      // CPU-time clocks are per process in Node; the monotonic clock is the honest stand-in.
      case clockIds.monotonic: case clockIds.processCpu: case clockIds.threadCpu: return this.#monotonicNs();
      default: return undefined;
    }
  }

  #fdWrite(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    const target = fd === 1 ? this.#stdout : fd === 2 ? this.#stderr : undefined;
    if (target === undefined) return fd === 0 ? errno.notsup : errno.badf;
    const view = this.#view();
    let written = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = view.getUint32(iovs + i * 8, true);
      const len = view.getUint32(iovs + i * 8 + 4, true);
      target.write(this.#bytes(ptr, len));
      written += len;
    }
    view.setUint32(nwrittenPtr, written, true);
    return errno.success;
  }

  #fdstat(fd: number, ptr: number): number {
    if (fd > 2) return errno.badf;
    const view = this.#view();
    this.#bytes(ptr, 24).fill(0);
    view.setUint8(ptr, filetypeCharacterDevice);
    view.setBigUint64(ptr + 8, fd === 0 ? rightFdRead : rightFdWrite, true);
    return errno.success;
  }

  /**
   * Clock subscriptions become one sleep (the shortest), during which only this guest is
   * suspended; fd subscriptions end the wait at once: stdio is always ready, other fds fail.
   */
  #pollOneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number | Promise<number> {
    if (count === 0) return errno.inval;
    const view = this.#view();
    const delays: (bigint | undefined)[] = [];
    let waitNs: bigint | undefined;
    let fdReady = false;
    for (let i = 0; i < count; i++) {
      const sub = inPtr + i * 48;
      if (view.getUint8(sub + 8) !== 0) {
        fdReady = true;
        delays.push(undefined);
        continue;
      }
      const timeout = view.getBigUint64(sub + 24, true);
      const absolute = (view.getUint16(sub + 40, true) & 1) !== 0;
      const now = absolute ? this.#now(view.getUint32(sub + 16, true)) ?? 0n : 0n;
      const delay = timeout - now > 0n ? timeout - now : 0n;
      delays.push(delay);
      if (waitNs === undefined || delay < waitNs) waitNs = delay;
    }
    if (fdReady || waitNs === undefined || waitNs === 0n) return this.#pollEvents(inPtr, outPtr, delays, neventsPtr, 0n);
    const elapsed = waitNs;
    const sleep = this.#clock.sleep?.bind(this.#clock) ?? timerSleep;
    return sleep(elapsed).then(() => this.#pollEvents(inPtr, outPtr, delays, neventsPtr, elapsed));
  }

  #pollEvents(inPtr: number, outPtr: number, delays: (bigint | undefined)[], neventsPtr: number, elapsedNs: bigint): number {
    const view = this.#view();
    let events = 0;
    delays.forEach((delay, i) => {
      if (delay !== undefined && delay > elapsedNs) return;
      const sub = inPtr + i * 48;
      const tag = view.getUint8(sub + 8);
      const fd = view.getUint32(sub + 16, true);
      const event = outPtr + events * 32;
      this.#bytes(event, 32).fill(0);
      view.setBigUint64(event, view.getBigUint64(sub, true), true);
      const ready = tag === 0 || (tag === 1 && fd === 0) || (tag === 2 && (fd === 1 || fd === 2));
      view.setUint16(event + 8, ready ? errno.success : errno.badf, true);
      view.setUint8(event + 10, tag);
      events++;
    });
    view.setUint32(neventsPtr, events, true);
    return errno.success;
  }

  /** The import object's `wasi_snapshot_preview1` namespace. */
  imports(): Record<string, ((...args: never[]) => unknown) | WebAssembly.Suspending> {
    const stdio = (fd: number, ok: () => number): number => (fd <= 2 ? ok() : errno.badf);
    const impl: Record<string, (...args: never[]) => unknown> = {
      args_get: (argv: number, buf: number) => this.#writeList(this.#args, argv, buf),
      args_sizes_get: (countPtr: number, sizePtr: number) => this.#writeSizes(this.#args, countPtr, sizePtr),
      environ_get: (envp: number, buf: number) => this.#writeList(this.#env, envp, buf),
      environ_sizes_get: (countPtr: number, sizePtr: number) => this.#writeSizes(this.#env, countPtr, sizePtr),
      clock_res_get: (id: number, ptr: number) => {
        if (this.#now(id) === undefined) return errno.inval;
        this.#view().setBigUint64(ptr, 1000n, true);
        return errno.success;
      },
      clock_time_get: (id: number, _precision: bigint, ptr: number) => {
        const now = this.#now(id);
        if (now === undefined) return errno.inval;
        this.#view().setBigUint64(ptr, now, true);
        return errno.success;
      },
      fd_write: (fd: number, iovs: number, len: number, out: number) => this.#fdWrite(fd, iovs, len, out),
      fd_read: (fd: number, _iovs: number, _len: number, out: number) => {
        if (fd !== 0) return fd <= 2 ? errno.notsup : errno.badf;
        this.#view().setUint32(out, 0, true); // stdin is always at end of file
        return errno.success;
      },
      fd_fdstat_get: (fd: number, ptr: number) => this.#fdstat(fd, ptr),
      fd_filestat_get: (fd: number, ptr: number) => stdio(fd, () => {
        this.#bytes(ptr, 64).fill(0);
        this.#view().setUint8(ptr + 16, filetypeCharacterDevice);
        return errno.success;
      }),
      fd_close: (fd: number) => stdio(fd, () => errno.success),
      fd_seek: (fd: number) => stdio(fd, () => errno.spipe),
      fd_tell: (fd: number) => stdio(fd, () => errno.spipe),
      fd_sync: (fd: number) => stdio(fd, () => errno.success),
      fd_datasync: (fd: number) => stdio(fd, () => errno.success),
      fd_fdstat_set_flags: (fd: number) => stdio(fd, () => errno.notsup),
      poll_oneoff: (i: number, o: number, n: number, e: number) => this.#pollOneoff(i, o, n, e),
      proc_exit: (code: number) => {
        this.flush();
        throw new ProcExit(code);
      },
      proc_raise: () => errno.notsup,
      sched_yield: () => errno.success,
      random_get: (ptr: number, len: number) => {
        this.#random(this.#bytes(ptr, len));
        return errno.success;
      },
    };
    const result: Record<string, ((...args: never[]) => unknown) | WebAssembly.Suspending> = {};
    for (const name of Object.keys(wasiSignatures)) {
      // No preopened directories and no sockets: every other call names an fd that does not exist.
      const fn = impl[name] ?? ((fd: number) => (name.startsWith('fd_') ? stdio(fd, () => errno.notsup) : errno.badf));
      const guarded = (...args: never[]) => {
        try {
          return fn(...args);
        } catch (err) {
          if (err instanceof RangeError) return errno.fault; // a pointer outside the guest's memory
          throw err;
        }
      };
      result[name] = name === 'poll_oneoff' ? new WebAssembly.Suspending(guarded as (...args: unknown[]) => unknown) : guarded;
    }
    return result;
  }
}
