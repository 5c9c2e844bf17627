// A guest that changes its state pseudo-randomly on every step: module globals (integers,
// floats, NaN payloads), the garbage-collected heap (allocations, replacements, deletions,
// memory growth) and deep recursion. Each step also waits on a suspending host function, so
// every step suspends the guest's stack through JSPI before it returns.

@external("env", "host_value")
declare function hostValue(x: i32): i32;

let seed: u64 = 0x9e3779b97f4a7c15;
let steps: i32 = 0;
let total: f64 = 0.0;
let small: f32 = 1.0;
let nanBox: f64 = 0.0;
const blocks = new Map<i32, Uint8Array>();

function next(): u64 {
  seed ^= seed >> 12;
  seed ^= seed << 25;
  seed ^= seed >> 27;
  return seed * 0x2545f4914f6cdd1d;
}

function recurse(depth: i32, acc: u64): u64 {
  if (depth == 0) return acc;
  const local = next();
  return recurse(depth - 1, acc * 31 + local) ^ (local >> 7);
}

export function init(s: u64): void {
  seed = s | 1;
}

export function step(x: i32): u64 {
  steps++;
  const fromHost = hostValue(x);
  const r = next();
  switch (<i32>(r % 5)) {
    case 0: {
      const size = <i32>(next() % 8192) + 1;
      const block = new Uint8Array(size);
      for (let i = 0; i < size; i++) block[i] = <u8>next();
      blocks.set(<i32>(next() % 64), block);
      break;
    }
    case 1: {
      const key = <i32>(next() % 64);
      if (blocks.has(key)) {
        const block = blocks.get(key);
        for (let i = 0; i < 32; i++) block[<i32>(next() % <u64>block.length)] ^= <u8>next();
      }
      break;
    }
    case 2:
      blocks.delete(<i32>(next() % 64));
      break;
    case 3:
      if (next() % 16 == 0) blocks.set(64 + <i32>(next() % 4), new Uint8Array(256 * 1024));
      break;
    default:
      total += <f64>recurse(<i32>(next() % 200) + 1, r);
  }
  total += <f64>(r & 0xffff) / 3.0;
  small = small * 1.0001 + <f32>fromHost;
  nanBox = reinterpret<f64>(0x7ff4000000000000 | (r & 0xfffff));
  let h: u64 = seed ^ (<u64>steps << 32) ^ reinterpret<u64>(total) ^ <u64>reinterpret<u32>(small) ^ reinterpret<u64>(nanBox);
  const keys = blocks.keys();
  for (let i = 0; i < keys.length; i++) {
    const block = blocks.get(keys[i]);
    h = h * 1099511628211 + <u64>block.length + <u64>block[block.length - 1] + <u64>keys[i];
  }
  return h;
}
