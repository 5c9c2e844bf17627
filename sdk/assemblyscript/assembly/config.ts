/**
 * The operator's name and configuration, from the init payload: the manifest's `config`
 * defaults overridden by the WasmOperator resource's `spec.config`. Set once by `wo_init`,
 * kept in guest memory (so a restored snapshot has them without a new init).
 */
import { Num, Obj, Value } from "./json-value";

let operator = "";
let settings: Obj | null = null; // constant initialiser: SDK globals compile in any file order

function current(): Obj {
  let s = settings;
  if (s == null) {
    s = new Obj();
    settings = s;
  }
  return s;
}

/** Called by `wo_init`. */
export function setInitPayload(payload: Obj): void {
  const op = payload.getObj("operator");
  operator = op == null ? "" : op.str("name");
  const c = payload.getObj("config");
  settings = c == null ? new Obj() : c;
}

/** The operator's name (the WasmOperator resource's name): also the default field manager. */
export function operatorName(): string {
  return operator;
}

export namespace config {
  /** The whole configuration object. */
  export function all(): Obj { return current(); }
  /** The value of `key`, or null when it is not configured. */
  export function get(key: string): Value | null { return current().get(key); }
  /** The string at `key`, or `fallback`. */
  export function str(key: string, fallback: string = ""): string { return current().str(key, fallback); }
  /**
   * The integer at `key`, or `fallback`. A string of digits counts too: configuration often
   * comes from YAML or environment-like maps where "3" and 3 mean the same.
   */
  export function int(key: string, fallback: i64 = 0): i64 {
    const v = current().get(key);
    if (v == null) return fallback;
    const s = v.asString();
    return s == null ? v.asI64(fallback) : new Num(s).toI64();
  }
  /** The boolean at `key` (or the string "true"/"false" there), or `fallback`. */
  export function bool(key: string, fallback: bool = false): bool {
    const v = current().get(key);
    if (v == null) return fallback;
    const s = v.asString();
    if (s == null) return v.asBool(fallback);
    return s == "true" ? true : s == "false" ? false : fallback;
  }
}
