/**
 * The host imports of ABI v1 (docs/abi.md) and the two-step answer protocol around them.
 * Internal: operators use `api`, `cache` and `log`, which call `send`.
 */
import { Value } from "./json-value";
import { parseBytes } from "./json-parse";
import { ByteWriter, writeValue } from "./json-write";

// @ts-ignore: decorator
@external("wasm_operator", "kube_request")
declare function kube_request(ptr: usize, len: usize): i32;
// @ts-ignore: decorator
@external("wasm_operator", "cache_get")
declare function cache_get(ptr: usize, len: usize): i32;
// @ts-ignore: decorator
@external("wasm_operator", "cache_list")
declare function cache_list(ptr: usize, len: usize): i32;
// @ts-ignore: decorator
@external("wasm_operator", "response_read")
declare function response_read(ptr: usize, len: usize): i32;
// @ts-ignore: decorator
@external("wasm_operator", "set_result")
declare function set_result(ptr: usize, len: usize): void;
// @ts-ignore: decorator
@external("wasm_operator", "log")
declare function log_line(ptr: usize, len: usize): void;

/** The imports that take a JSON payload. */
export enum HostCall { KubeRequest, CacheGet, CacheList, SetResult, Log }

/**
 * Sends `payload` to one import; for those that answer, reads and parses the answer.
 * A host that answers something other than JSON is a broken host: the guest traps.
 */
export function send(call: HostCall, payload: Value): Value | null {
  const w = new ByteWriter();
  writeValue(w, payload);
  let pending: i32 = -1;
  switch (call) {
    case HostCall.KubeRequest: pending = kube_request(w.ptr, w.len); break;
    case HostCall.CacheGet: pending = cache_get(w.ptr, w.len); break;
    case HostCall.CacheList: pending = cache_list(w.ptr, w.len); break;
    case HostCall.SetResult: set_result(w.ptr, w.len); break;
    case HostCall.Log: log_line(w.ptr, w.len); break;
  }
  w.free();
  return pending < 0 ? null : readAnswer(pending);
}

function readAnswer(len: i32): Value {
  const buf = heap.alloc(<usize>len);
  const copied = response_read(buf, <usize>len);
  if (copied != len) {
    heap.free(buf);
    throw new Error("response_read copied " + copied.toString() + " of " + len.toString() + " bytes");
  }
  const value = parseBytes(buf, <usize>len);
  heap.free(buf);
  if (value == null) throw new Error("the host answered with invalid JSON");
  return value;
}
