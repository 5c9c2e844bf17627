/**
 * The three WASI preview 1 calls the SDK needs: environment, wall clock, random.
 * Declared here rather than through a WASI shim so that nothing else (no filesystem, no
 * stdout buffering) is linked in.
 */

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "environ_sizes_get")
declare function environ_sizes_get(count: usize, bufSize: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "environ_get")
declare function environ_get(environ: usize, buf: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(clock: u32, precision: u64, time: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "random_get")
declare function random_get(buf: usize, len: usize): u16;

const CLOCK_REALTIME: u32 = 0;

/** The value of environment variable `name` (from the operator's configuration), or null. */
export function getenv(name: string): string | null {
  const sizes = heap.alloc(8);
  let result: string | null = null;
  if (environ_sizes_get(sizes, sizes + 4) == 0) {
    const count = load<u32>(sizes);
    const bufSize = load<u32>(sizes + 4);
    const pointers = heap.alloc(<usize>count << 2);
    const buf = heap.alloc(<usize>bufSize);
    if (environ_get(pointers, buf) == 0) {
      const prefix = String.UTF8.encode(name + "=");
      const prefixPtr = changetype<usize>(prefix);
      const prefixLen = <usize>prefix.byteLength;
      for (let i: u32 = 0; i < count && result == null; i++) {
        const entry = load<u32>(pointers + (<usize>i << 2));
        if (memory.compare(entry, prefixPtr, prefixLen) == 0) {
          const value = <usize>entry + prefixLen;
          let end = value;
          while (load<u8>(end) != 0) end++;
          result = String.UTF8.decodeUnsafe(value, end - value);
        }
      }
    }
    heap.free(pointers);
    heap.free(buf);
  }
  heap.free(sizes);
  return result;
}

/** Milliseconds since the Unix epoch, from the host's wall clock. */
export function nowMs(): i64 {
  const out = heap.alloc(8);
  const errno = clock_time_get(CLOCK_REALTIME, 1_000_000, out);
  const ns = load<u64>(out);
  heap.free(out);
  return errno == 0 ? <i64>(ns / 1_000_000) : 0;
}

/** A random f64 seed for Math.random (wired in with `--use seed=...`). */
export function randomSeed(): f64 {
  const out = heap.alloc(8);
  random_get(out, 8);
  const bits = load<u64>(out);
  heap.free(out);
  return <f64>(bits >> 11);
}
