/*
 * wo_object.h: what most operators do to Kubernetes objects, for C guests, over wo_kube.h:
 * a per-call scope for allocations, member replacement, owner references, finalizers, status
 * conditions and the time as Kubernetes writes it. The semantics match the other SDKs'
 * (sdk/assemblyscript: owners, finalizers, conditions).
 *
 * The scope and the helpers that return "kept" memory keep their state in static variables:
 * include this header in the operator's one translation unit (as `wasm-operator build` compiles).
 */
#ifndef WO_OBJECT_H
#define WO_OBJECT_H

#include <time.h>
#include "wo_kube.h"

/* ---- A per-call scope: kept allocations are freed together by wo_release_all ------------- */

static void **wo__kept;
static int wo__kept_count, wo__kept_cap;

/* Keeps `p` until wo_release_all (call it when the export returns) and returns it. Traps when
 * `p` is NULL (out of memory): the host then restarts the operator from its last snapshot. */
static inline void *wo_keep(void *p) {
  if (p == NULL) __builtin_trap();
  if (wo__kept_count == wo__kept_cap) {
    int cap = wo__kept_cap ? wo__kept_cap * 2 : 64;
    void **grown = (void **)realloc(wo__kept, (size_t)cap * sizeof *grown);
    if (grown == NULL) __builtin_trap();
    wo__kept = grown;
    wo__kept_cap = cap;
  }
  wo__kept[wo__kept_count++] = p;
  return p;
}

/* Frees everything kept since the last call; the scope's own list stays for the next call. */
static inline void wo_release_all(void) {
  for (int i = 0; i < wo__kept_count; i++) free(wo__kept[i]);
  wo__kept_count = 0;
}

/* The string member `key` of `obj`, decoded and kept ("" when absent or not a string). */
static inline const char *wo_text(wo_span obj, const char *key) { return (const char *)wo_keep(wo_strdup(wo_get(obj, key))); }

/* A kept, NUL-terminated copy of `v`'s text (so it outlives the answer it points into). */
static inline char *wo_copy(wo_span v) {
  char *s = (char *)wo_keep(malloc(v.n + 1));
  if (v.n) memcpy(s, v.p, v.n);
  s[v.n] = '\0';
  return s;
}

/* The kept text of `b` (which is reset): a finished JSON document to read with spans. */
static inline char *wo_keep_buf(wo_buf *b) {
  if (b->failed) __builtin_trap();
  char *s = b->p ? b->p : (char *)malloc(1);
  if (b->p == NULL && s) s[0] = '\0';
  b->p = NULL;
  b->n = b->cap = 0;
  return (char *)wo_keep(s);
}

/* ---- Members ------------------------------------------------------------------------------ */

/* Writes the members of object `obj` (without braces) except those named in `skip`, a
 * NULL-terminated list; the separators are wo_buf's usual ones. */
static inline void wo_members_except(wo_buf *b, wo_span obj, const char *const *skip) {
  wo_iter it = wo_iterate(obj);
  wo_span k, v;
  while (wo_next_member(&it, &k, &v)) {
    int skipped = 0;
    for (const char *const *s = skip; *s && !skipped; s++) skipped = wo_str_eq(k, *s);
    if (skipped) continue;
    wo_sep(b);
    wo_span_out(b, k);
    wo_lit(b, ":");
    wo_span_out(b, v);
  }
}

/* Writes object `obj` with its member `key` set to `value` (replaced in place of the old one's
 * order, or appended last). */
static inline void wo_write_replacing(wo_buf *b, wo_span obj, const char *key, wo_span value) {
  const char *skip[] = { key, NULL };
  wo_lit(b, "{");
  wo_members_except(b, obj, skip);
  wo_kspan(b, key, value);
  wo_lit(b, "}");
}

/* True when JSON strings `a` and `b` hold the same text (escapes decoded). */
static inline int wo_same_string(wo_span a, wo_span b) {
  if (!wo_is_string(a) || !wo_is_string(b)) return 0;
  if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0) return 1;
  char *x = wo_strdup(a), *y = wo_strdup(b);
  int same = x && y && strcmp(x, y) == 0;
  free(x);
  free(y);
  return same;
}

/* ---- Time --------------------------------------------------------------------------------- */

static inline void wo__two_digits(char *at, int v) { at[0] = (char)('0' + v / 10 % 10); at[1] = (char)('0' + v % 10); }

/* Now (the host's clock), kept, as Kubernetes writes times: 2006-01-02T15:04:05Z. Formatted
 * by hand, as strftime would link much of wasi-libc. */
static inline const char *wo_now_rfc3339(void) {
  char *buf = (char *)wo_keep(malloc(21));
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  memcpy(buf, "0000-00-00T00:00:00Z", 21);
  wo__two_digits(buf, (tm.tm_year + 1900) / 100);
  wo__two_digits(buf + 2, (tm.tm_year + 1900) % 100);
  wo__two_digits(buf + 5, tm.tm_mon + 1);
  wo__two_digits(buf + 8, tm.tm_mday);
  wo__two_digits(buf + 11, tm.tm_hour);
  wo__two_digits(buf + 14, tm.tm_min);
  wo__two_digits(buf + 17, tm.tm_sec);
  return buf;
}

/* ---- Owner references --------------------------------------------------------------------- */

/* Writes an ownerReference to `owner` (an object from the API server: it has a uid). */
static inline void wo_owner_reference(wo_buf *b, wo_span owner, int controller) {
  wo_span meta = wo_get(owner, "metadata");
  wo_lit(b, "{");
  wo_kspan(b, "apiVersion", wo_get(owner, "apiVersion"));
  wo_kspan(b, "kind", wo_get(owner, "kind"));
  wo_kspan(b, "name", wo_get(meta, "name"));
  wo_kspan(b, "uid", wo_get(meta, "uid"));
  wo_key(b, "controller");
  wo_lit(b, controller ? "true" : "false");
  wo_lit(b, ",\"blockOwnerDeletion\":true}");
}

/* The controller ownerReference of `obj`, or an absent span. */
static inline wo_span wo_controller_of(wo_span obj) {
  wo_iter it = wo_iterate(wo_get2(obj, "metadata", "ownerReferences"));
  wo_span ref, none = { NULL, 0 };
  while (wo_next_item(&it, &ref)) if (wo_bool(wo_get(ref, "controller"), 0)) return ref;
  return none;
}

/* True when `owner` is the controller of `obj` (matched by uid). */
static inline int wo_is_controlled_by(wo_span obj, wo_span owner) {
  return wo_same_string(wo_get(wo_controller_of(obj), "uid"), wo_get2(owner, "metadata", "uid"));
}

/* ---- Finalizers ----------------------------------------------------------------------------- */

/* A stale cache is the usual cause of a 409; three fresh reads are more than enough. */
#define WO_FINALIZER_ATTEMPTS 3

/* True when `obj` carries the finalizer `name`. */
static inline int wo_has_finalizer(wo_span obj, const char *name) {
  wo_iter it = wo_iterate(wo_get2(obj, "metadata", "finalizers"));
  wo_span f;
  while (wo_next_item(&it, &f)) if (wo_str_eq(f, name)) return 1;
  return 0;
}

/* Adds (`add` = 1) or removes `name` in the finalizers of `*object` (its JSON text) and PUTs it
 * to the API server with `query` (a JSON object's text, e.g. the fieldManager, or NULL),
 * re-reading it after a conflict, up to three times. Returns the HTTP status, or 0 when there
 * was nothing to change. On success `*object` is the server's copy (kept); after a re-read it
 * is the fresh copy. */
static inline int wo_set_finalizer(char **object, const char *name, int add, const char *query) {
  for (int attempt = 0; attempt < WO_FINALIZER_ATTEMPTS; attempt++) {
    wo_span obj = wo_span_of(*object), meta = wo_get(obj, "metadata");
    wo_buf list = { 0 }, new_meta = { 0 }, body = { 0 };
    wo_iter it = wo_iterate(wo_get(meta, "finalizers"));
    wo_span f;
    int present = 0;
    wo_lit(&list, "[");
    while (wo_next_item(&it, &f)) {
      if (wo_str_eq(f, name)) { present = 1; if (!add) continue; }
      wo_item(&list);
      wo_span_out(&list, f);
    }
    if (add && !present) { wo_item(&list); wo_str(&list, name); }
    wo_lit(&list, "]");
    if (present == add) { wo_free(&list); return 0; }
    wo_write_replacing(&new_meta, meta, "finalizers", wo_span_of(list.p));
    wo_write_replacing(&body, obj, "metadata", wo_span_of(new_meta.p));
    wo_free(&list);
    wo_free(&new_meta);
    const char *path = (const char *)wo_keep(wo_path(wo_text(obj, "apiVersion"), wo_text(obj, "kind"), wo_text(meta, "namespace"), wo_text(meta, "name"), ""));
    wo_response r = wo_request("PUT", path, query, NULL, wo_span_of(body.p));
    wo_free(&body);
    int status = r.status;
    if (wo_ok(&r)) *object = wo_copy(r.body);
    wo_response_free(&r);
    if (status != 409 || attempt == WO_FINALIZER_ATTEMPTS - 1) return status;
    wo_response fresh = wo_request("GET", path, NULL, NULL, (wo_span){ NULL, 0 });
    int reread = wo_ok(&fresh);
    status = fresh.status;
    if (reread) *object = wo_copy(fresh.body);
    wo_response_free(&fresh);
    if (!reread) return status;
  }
  return 0; /* not reached: the loop returns on its last attempt */
}

/* ---- Status conditions (the metav1.Condition shape) ------------------------------------------ */

/* One condition; `observed_generation` < 0 leaves that field out. */
typedef struct { const char *type, *status, *reason, *message; long long observed_generation; } wo_condition;

static inline void wo__condition_out(wo_buf *b, const wo_condition *c, wo_span since) {
  wo_lit(b, "{");
  wo_kstr(b, "type", c->type);
  wo_kstr(b, "status", c->status);
  if (c->observed_generation >= 0) wo_kint(b, "observedGeneration", c->observed_generation);
  wo_kspan(b, "lastTransitionTime", since);
  wo_kstr(b, "reason", c->reason);
  wo_kstr(b, "message", c->message);
  wo_lit(b, "}");
}

/* Writes the array `conditions` (a status's current `conditions`, or an absent span) with the
 * condition of `c->type` set to `c`: in its place, or appended. Its `lastTransitionTime` becomes
 * now only when the condition is new or its status changes. Returns 1 when anything changed. */
static inline int wo_conditions_set(wo_buf *b, wo_span conditions, const wo_condition *c) {
  wo_buf now = { 0 };
  wo_iter it = wo_iterate(conditions);
  wo_span item;
  int found = 0, changed = 1;
  wo_str(&now, wo_now_rfc3339());
  wo_lit(b, "[");
  while (wo_next_item(&it, &item)) {
    wo_item(b);
    if (found || !wo_str_eq(wo_get(item, "type"), c->type)) { wo_span_out(b, item); continue; }
    found = 1;
    int transitioned = strcmp(wo_text(item, "status"), c->status) != 0;
    changed = transitioned || strcmp(wo_text(item, "reason"), c->reason) != 0 || strcmp(wo_text(item, "message"), c->message) != 0 ||
      (c->observed_generation >= 0 && wo_int(wo_get(item, "observedGeneration"), -1) != c->observed_generation);
    wo__condition_out(b, c, transitioned ? wo_span_of(now.p) : wo_get(item, "lastTransitionTime"));
  }
  if (!found) {
    wo_item(b);
    wo__condition_out(b, c, wo_span_of(now.p));
  }
  wo_lit(b, "]");
  wo_free(&now);
  return changed;
}

#endif /* WO_OBJECT_H */
