/**
 * The wasm-operator AssemblyScript SDK. An operator's `assembly/index.ts` exports
 *
 *     export function reconcile(req: Request): Result
 *
 * and optionally `export function init(): Result` (run once, before the first reconcile).
 * `wasm-operator build` adds the ABI exports. See docs/writing-operators.md.
 */
export { Kind, Value, Null, Bool, Num, Str, Arr, Obj } from "./json-value";
export { parse, parseObj } from "./json-parse";
export { stringify } from "./json-write";
export { Request, Result, Outcome } from "./reconcile";
export { api, Response, PatchType } from "./api";
export { cache } from "./cache";
export { log } from "./log";
export { config, operatorName } from "./config";
export { meta } from "./meta";
export { owners } from "./owners";
export { finalizers } from "./finalizers";
export { conditions } from "./conditions";
export { registerPlural, pluralOf, resourcePath } from "./resources";
export { now, rfc3339, parseRfc3339 } from "./time";
export { getenv } from "./wasi";
