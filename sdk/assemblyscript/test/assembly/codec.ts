// A test module (not an operator): exposes the SDK's JSON codec and time helpers to
// sdk/assemblyscript/codec.test.ts, which compares them with JavaScript's.
import { parseBytes } from "wasm-operator/assemblyscript/json-parse";
import { ByteWriter, writeValue } from "wasm-operator/assemblyscript/json-write";
import { Num, Obj, Value } from "wasm-operator/assemblyscript/json-value";
import { parseRfc3339, rfc3339 } from "wasm-operator/assemblyscript/time";
import { pluralOf, resourcePath } from "wasm-operator/assemblyscript/resources";
export { wo_alloc } from "wasm-operator/assemblyscript/exports";

let out = new ByteWriter();

function emit(v: Value): i32 {
  out.free();
  out = new ByteWriter();
  writeValue(out, v);
  return <i32>out.len;
}

function emitString(s: string): i32 {
  out.free();
  out = new ByteWriter();
  out.utf8(s, 0, s.length);
  return <i32>out.len;
}

function input(ptr: usize, len: usize): string {
  const s = String.UTF8.decodeUnsafe(ptr, len);
  heap.free(ptr);
  return s;
}

export function outPtr(): usize { return out.ptr; }

/** Parses and writes back; -1 when the input is not JSON. */
export function roundtrip(ptr: usize, len: usize): i32 {
  const v = parseBytes(ptr, len);
  heap.free(ptr);
  return v == null ? -1 : emit(v);
}

/** Parses, deep-copies, edits the copy, and writes [original, copy]. */
export function cloneAndEdit(ptr: usize, len: usize): i32 {
  const v = parseBytes(ptr, len)!.asObj()!;
  heap.free(ptr);
  const copy = v.cloneObj();
  copy.obj("metadata").obj("labels").setString("edited", "yes");
  copy.delete("status");
  const pair = new Obj().set("original", v).set("copy", copy);
  return emit(pair);
}

/** Reads typed fields: writes {name, replicas, ratio, missing, big}. */
export function typedReads(ptr: usize, len: usize): i32 {
  const v = parseBytes(ptr, len)!.asObj()!;
  heap.free(ptr);
  const o = new Obj()
    .setString("name", v.getObj("metadata")!.str("name"))
    .setI64("replicas", v.getObj("spec")!.getI64("replicas"))
    .setF64("ratio", v.getF64("ratio"))
    .setString("missing", v.str("nope", "fallback"))
    .setI64("big", v.getI64("big"))
    .setI64("truncated", v.getI64("ratio"));
  return emit(o);
}

export function formatTime(ms: i64): i32 { return emitString(rfc3339(ms)); }
export function parseTime(ptr: usize, len: usize): i64 { return parseRfc3339(input(ptr, len)); }

/** Writes pluralOf(kind) for apiVersion "v1". */
export function plural(ptr: usize, len: usize): i32 { return emitString(pluralOf("v1", input(ptr, len))); }

/** Writes resourcePath for a request given as {apiVersion, kind, namespace, name, subresource}. */
export function path(ptr: usize, len: usize): i32 {
  const r = parseBytes(ptr, len)!.asObj()!;
  heap.free(ptr);
  return emitString(resourcePath(r.str("apiVersion"), r.str("kind"), r.str("namespace"), r.str("name"), r.str("subresource")));
}

/** Num#toI64 of a number's text. */
export function integer(ptr: usize, len: usize): i64 { return new Num(input(ptr, len)).toI64(); }
