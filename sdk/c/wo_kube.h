/*
 * wo_kube.h: Kubernetes-shaped helpers over wasm_operator.h and wo_json.h for C guests:
 * API paths, requests with their answers, cache reads, results and logs.
 */
#ifndef WO_KUBE_H
#define WO_KUBE_H

#include <ctype.h>
#include "wasm_operator.h"
#include "wo_json.h"

/* `/api/v1/namespaces/ns/configmaps/name[/sub]`; the plural is guessed as client-go guesses it
 * (Ingress -> ingresses, NetworkPolicy -> networkpolicies). `ns`, `name`, `sub` may be "" or NULL.
 * Returns a malloc'd string. */
static inline char *wo_path(const char *api_version, const char *kind, const char *ns, const char *name, const char *sub) {
  wo_buf b = { 0 };
  wo_lit(&b, strchr(api_version, '/') ? "/apis/" : "/api/");
  wo_lit(&b, api_version);
  if (ns && *ns) { wo_lit(&b, "/namespaces/"); wo_lit(&b, ns); }
  wo_lit(&b, "/");
  size_t start = b.n;
  wo_lit(&b, kind);
  for (size_t i = start; i < b.n && !b.failed; i++) b.p[i] = (char)tolower((unsigned char)b.p[i]);
  size_t len = b.n - start;
  if (b.failed) { /* nothing: the caller gets NULL below */ }
  else if (len == 9 && strcmp(b.p + start, "endpoints") == 0) { /* already plural */ }
  else if (len > 0 && b.p[b.n - 1] == 's') wo_lit(&b, "es");
  else if (len > 0 && b.p[b.n - 1] == 'y') { b.n--; wo_lit(&b, "ies"); }
  else wo_lit(&b, "s");
  if (name && *name) { wo_lit(&b, "/"); wo_lit(&b, name); }
  if (sub && *sub) { wo_lit(&b, "/"); wo_lit(&b, sub); }
  if (b.failed) { wo_free(&b); return NULL; }
  return b.p;
}

/* An API answer: `status` (0 when the host answer could not be read) and `body`, a span into
 * `answer`. Free with wo_response_free. */
typedef struct { int status; wo_span body; char *answer; } wo_response;

static inline int wo_ok(const wo_response *r) { return r->status >= 200 && r->status < 300; }
static inline void wo_response_free(wo_response *r) { free(r->answer); r->answer = NULL; r->body.p = NULL; }

/* One request. `query` is a JSON object's text (or NULL), `content_type` NULL means
 * application/json, `body` an absent span for none. */
static inline wo_response wo_request(const char *method, const char *path, const char *query, const char *content_type, wo_span body) {
  wo_buf b = { 0 };
  wo_response r = { 0, { NULL, 0 }, NULL };
  wo_lit(&b, "{");
  wo_kstr(&b, "method", method);
  wo_kstr(&b, "path", path);
  if (query) { wo_key(&b, "query"); wo_lit(&b, query); }
  if (content_type) wo_kstr(&b, "contentType", content_type);
  if (wo_present(body)) wo_kspan(&b, "body", body);
  wo_lit(&b, "}");
  if (b.failed) { wo_free(&b); return r; }
  r.answer = wo_answer(wo_kube_request(b.p, (int32_t)b.n));
  wo_free(&b);
  if (r.answer) {
    wo_span all = wo_span_of(r.answer);
    r.status = (int)wo_int(wo_get(all, "status"), 0);
    r.body = wo_get(all, "body");
  }
  return r;
}

/* The `message` of an error Status in `r`, malloc'd ("" when there is none). */
static inline char *wo_response_message(const wo_response *r) { return wo_strdup(wo_get(r->body, "message")); }

/* The cached object (malloc'd JSON, "null" when absent), or NULL if the answer was unreadable. */
static inline char *wo_cache_object(const char *api_version, const char *kind, const char *ns, const char *name) {
  wo_buf b = { 0 };
  wo_lit(&b, "{");
  wo_kstr(&b, "apiVersion", api_version);
  wo_kstr(&b, "kind", kind);
  if (ns && *ns) wo_kstr(&b, "namespace", ns);
  wo_kstr(&b, "name", name);
  wo_lit(&b, "}");
  char *answer = b.failed ? NULL : wo_answer(wo_cache_get(b.p, (int32_t)b.n));
  wo_free(&b);
  return answer;
}

/* The cached objects as `{"items":[...]}` (malloc'd), or NULL. `ns`, `selector` may be "" or NULL. */
static inline char *wo_cache_objects(const char *api_version, const char *kind, const char *ns, const char *selector) {
  wo_buf b = { 0 };
  wo_lit(&b, "{");
  wo_kstr(&b, "apiVersion", api_version);
  wo_kstr(&b, "kind", kind);
  if (ns && *ns) wo_kstr(&b, "namespace", ns);
  if (selector && *selector) wo_kstr(&b, "labelSelector", selector);
  wo_lit(&b, "}");
  char *answer = b.failed ? NULL : wo_answer(wo_cache_list(b.p, (int32_t)b.n));
  wo_free(&b);
  return answer;
}

static inline void wo_result_done(void) { wo_set_result_str("{\"kind\":\"done\"}"); }

/* A negative delay means now (the host refuses negative delays). */
static inline void wo_result_requeue_after(long long delay_ms) {
  wo_buf b = { 0 };
  if (delay_ms < 0) delay_ms = 0;
  wo_lit(&b, "{\"kind\":\"requeueAfter\"");
  wo_kint(&b, "delayMs", delay_ms);
  wo_lit(&b, "}");
  if (!b.failed) wo_set_result(b.p, (int32_t)b.n);
  wo_free(&b);
}

static inline void wo_result_failed(const char *message, int terminal) {
  wo_buf b = { 0 };
  wo_lit(&b, "{\"kind\":\"failed\"");
  wo_kstr(&b, "message", message);
  wo_key(&b, "terminal");
  wo_lit(&b, terminal ? "true" : "false");
  wo_lit(&b, "}");
  if (!b.failed) wo_set_result(b.p, (int32_t)b.n);
  wo_free(&b);
}

/* A log line; `fields` is a JSON object span or absent. */
static inline void wo_log_line(const char *level, const char *message, wo_span fields) {
  wo_buf b = { 0 };
  wo_lit(&b, "{");
  wo_kstr(&b, "level", level);
  wo_kstr(&b, "message", message);
  if (wo_is_object(fields)) wo_kspan(&b, "fields", fields);
  wo_lit(&b, "}");
  if (!b.failed) wo_log(b.p, (int32_t)b.n);
  wo_free(&b);
}

#endif /* WO_KUBE_H */
