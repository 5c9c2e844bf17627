/** Structured logging through the host: lines carry the operator and the request being reconciled. */
import { Obj } from "./json-value";
import { HostCall, send } from "./host";

function line(level: string, message: string, fields: Obj | null): void {
  const o = new Obj().setString("level", level).setString("message", message);
  if (fields != null) o.set("fields", fields);
  send(HostCall.Log, o);
}

export namespace log {
  export function debug(message: string, fields: Obj | null = null): void { line("debug", message, fields); }
  export function info(message: string, fields: Obj | null = null): void { line("info", message, fields); }
  export function warn(message: string, fields: Obj | null = null): void { line("warn", message, fields); }
  export function error(message: string, fields: Obj | null = null): void { line("error", message, fields); }
}
