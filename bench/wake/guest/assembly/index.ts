/**
 * The wake benchmark's operator. Its first act in every reconcile is a log line, so the time
 * the host writes that line is when reconcile entered the guest. `init` fills `ballastBytes`
 * of memory with pseudo-random bytes: a guest of that size whose snapshot does not compress
 * away (the suspended case uses 1 MiB). Reconcile then reads the object from the host's cache,
 * as a real operator's first step would, and is done.
 */
import { Obj, Request, Result, config, log } from "wasm-operator/assemblyscript";

let ballast: StaticArray<u8> = new StaticArray<u8>(0);

export function init(): Result {
  const size = <i32>config.int("ballastBytes", 0);
  ballast = new StaticArray<u8>(size);
  let x: u32 = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, and not a run a compressor shortens.
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ballast[i] = <u8>x;
  }
  return Result.done();
}

export function reconcile(req: Request): Result {
  log.info("reconcile", new Obj().setString("name", req.name));
  const object = req.get();
  if (object == null) return Result.done();
  return Result.done();
}
