/**
 * ttl-cleaner: an object annotated `ttl: 90s` (or `2h30m`, `7d`, or an RFC 3339 time such as
 * `2030-01-01T00:00:00Z`) is deleted once its creationTimestamp plus the ttl (or that time) has
 * passed. Until then the operator asks to be woken when it expires (requeueAfter), so it can
 * sleep on disk in between and still delete on time.
 */
import { Obj, Request, Result, api, config, log, meta, now, parseRfc3339 } from "wasm-operator/assemblyscript";

export function reconcile(req: Request): Result {
  const o = req.get();
  if (o == null || meta.isDeleting(o)) return Result.done();
  const ttl = meta.annotation(o, config.str("annotation", "ttl"));
  if (ttl == null) return Result.done();

  const expiresAt = expiry(ttl, o);
  if (expiresAt < 0) {
    // terminal: retrying cannot fix the annotation; a change to the object triggers us again
    return Result.fail("cannot read ttl \"" + ttl + "\" of " + meta.key(o) + ": use 90s, 2h30m, 7d or an RFC 3339 time", true);
  }
  const remainingMs = expiresAt - now();
  if (remainingMs > 0) return Result.requeueAfter(remainingMs);

  // The uid precondition spares a newer object that reuses the name (409): its own event follows.
  const r = api.remove(req.apiVersion, req.kind, req.namespace, req.name, "Background", meta.uid(o));
  if (r.conflict || r.notFound) return Result.done();
  if (!r.ok) return Result.fail("deleting " + meta.key(o) + ": " + r.message);
  log.info("deleted expired " + req.kind + " " + meta.key(o), new Obj().setString("ttl", ttl));
  return Result.done();
}

/** When `o` expires (ms since the epoch), or -1 when `ttl` is neither a duration nor a time. */
function expiry(ttl: string, o: Obj): i64 {
  const at = parseRfc3339(ttl);
  if (at >= 0) return at;
  const duration = parseDuration(ttl);
  const created = parseRfc3339(o.obj("metadata").str("creationTimestamp"));
  return duration < 0 || created < 0 ? -1 : created + duration;
}

/** `90s`, `15m`, `2h30m`, `7d` (units d, h, m, s, ms) in milliseconds; -1 when malformed. */
function parseDuration(s: string): i64 {
  let total: i64 = 0;
  let i = 0;
  if (s.length == 0) return -1;
  while (i < s.length) {
    let n: i64 = 0;
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      n = n * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (i == start || i == s.length) return -1;
    const unit = s.charCodeAt(i++);
    if (unit == 109 && i < s.length && s.charCodeAt(i) == 115) { i++; total += n; } // ms
    else if (unit == 100) total += n * 86_400_000; // d
    else if (unit == 104) total += n * 3_600_000; // h
    else if (unit == 109) total += n * 60_000; // m
    else if (unit == 115) total += n * 1000; // s
    else return -1;
  }
  return total;
}
