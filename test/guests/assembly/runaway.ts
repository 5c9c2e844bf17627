// A guest that can misbehave in every way the engine must contain, and also behave: `work`
// is an ordinary call that waits on a suspending host function.

@external("env", "wait")
declare function wait(x: i32): i32;

let counter: i32 = 0;
const hoard = new Array<Uint8Array>();

export function work(x: i32): i32 {
  counter++;
  return wait(x) + counter;
}

export function spin(): i32 {
  let n = counter;
  while (n != -1) n = (n * 1103515245 + 12345) & 0x7fffffff;
  return n;
}

export function recurse(depth: i32): i32 {
  return recurse(depth + 1) + depth;
}

export function hog(): i32 {
  while (hoard.length >= 0) hoard.push(new Uint8Array(1 << 20));
  return hoard.length;
}

export function trap(): void {
  unreachable();
}

export function exit(code: i32): void {
  process.exit(code);
}

export function stall(x: i32): i32 {
  return wait(x) + wait(x);
}
