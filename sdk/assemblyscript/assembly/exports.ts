/**
 * The guest side of ABI v1: the `wo_*` exports. `wasm-operator build` generates the module's
 * entry file, which re-exports `wo_abi_version` and `wo_alloc` and defines `wo_init` and
 * `wo_reconcile` as calls to `runInit`/`runReconcile` with the author's functions.
 *
 * Memory: the SDK is built with AssemblyScript's `minimal` runtime (TLSF allocator plus a
 * mark-and-sweep collector that runs only when asked). Each export collects right before it
 * returns, when no managed reference is left on the wasm stack, so what survives a call is
 * exactly what globals reach, and all of it lives in linear memory and globals: a snapshot
 * between calls captures the whole guest. Freed memory is then zeroed (scrub.ts), so the
 * snapshot compresses to little more than the live data.
 */
import { Obj } from "./json-value";
import { parseBytes } from "./json-parse";
import { HostCall, send } from "./host";
import { setInitPayload } from "./config";
import { Request, Result } from "./reconcile";
import { randomSeed } from "./wasi";
import { scrubFreeMemory } from "./scrub";

/** What an operator's `init` looks like (optional; it may read `config` and fail). */
export type InitFn = () => Result;
/** What an operator's `reconcile` looks like. */
export type ReconcileFn = (req: Request) => Result;

export function wo_abi_version(): i32 {
  return 1;
}

/** A buffer of `size` bytes for a payload the host is about to pass; 0 when it cannot be had. */
export function wo_alloc(size: i32): usize {
  // TLSF traps rather than answering null when memory cannot grow; refuse what it could never give.
  if (size < 0 || <u32>size > 0x3fff_0000) return 0;
  return heap.alloc(<usize>size);
}

/** Reads and frees a payload the host passed to an export. */
function takePayload(ptr: usize, len: usize): Obj {
  const value = parseBytes(ptr, len);
  heap.free(ptr);
  const o: Obj | null = value == null ? null : value.asObj();
  if (o == null) throw new Error("the host passed a payload that is not a JSON object");
  return o;
}

function finish(result: Result): void {
  send(HostCall.SetResult, result.toJSON());
}

/** `wo_init`: stores the operator's name and config, then runs the author's `init` if any. */
export function runInit(ptr: usize, len: usize, init: InitFn | null): void {
  handleInit(ptr, len, init);
  settle();
}

/** Between calls: garbage collected, and freed memory zeroed so snapshots carry only live data. */
function settle(): void {
  __collect();
  scrubFreeMemory();
}

function handleInit(ptr: usize, len: usize, init: InitFn | null): void {
  setInitPayload(takePayload(ptr, len));
  finish(init == null ? Result.done() : init());
}

/** `wo_reconcile`: decodes the request and passes it to the author's `reconcile`. */
export function runReconcile(ptr: usize, len: usize, reconcile: ReconcileFn): void {
  handleReconcile(ptr, len, reconcile);
  settle();
}

function handleReconcile(ptr: usize, len: usize, reconcile: ReconcileFn): void {
  finish(reconcile(Request.fromJSON(takePayload(ptr, len))));
}

let aborting = false;

/**
 * Replaces AssemblyScript's `abort` (`--use abort=...`): logs the message through the host,
 * then traps. The host treats the trap as a failed call and restarts from the last snapshot.
 */
export function onAbort(message: string | null = null, fileName: string | null = null, line: u32 = 0, column: u32 = 0): void {
  if (!aborting) {
    aborting = true; // logging allocates; if that is what failed, do not try twice
    const fields = new Obj();
    if (fileName != null) fields.setString("file", fileName).setI64("line", line).setI64("column", column);
    send(HostCall.Log, new Obj().setString("level", "error").setString("message", message == null ? "abort" : message).set("fields", fields));
  }
  unreachable();
}

/** Replaces `trace` (`--use trace=...`): a debug log line. */
export function onTrace(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {
  let text = message;
  if (n > 0) text += " " + a0.toString();
  if (n > 1) text += " " + a1.toString();
  if (n > 2) text += " " + a2.toString();
  if (n > 3) text += " " + a3.toString();
  if (n > 4) text += " " + a4.toString();
  send(HostCall.Log, new Obj().setString("level", "debug").setString("message", text));
}

/** Replaces `seed` (`--use seed=...`): Math.random is seeded from WASI's random_get. */
export function onSeed(): f64 {
  return randomSeed();
}
