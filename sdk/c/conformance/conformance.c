/*
 * The C conformance guest: runs the steps of a ConformanceTest with the headers of sdk/c
 * (wasm_operator.h, wo_json.h, wo_kube.h, wo_object.h), as docs/abi.md ("Conformance")
 * describes. It is also the C SDK's worked example: every ABI import and most helpers appear
 * here (examples/webapp/c/webapp.c shows owner references and conditions).
 *
 *   wasm-operator build sdk/c/conformance/conformance.c \
 *     --manifest test/conformance/guest-manifest.yaml -o conformance-c.wasm
 */
#define WASM_OPERATOR_IMPLEMENTATION
#include "wo_object.h"

#define GROUP_VERSION "conformance.wasm-operator.dev/v1"
#define KIND "ConformanceTest"
#define MAX_CONDITIONS 32

/* Set by wo_init; kept in linear memory, so snapshots carry them. */
static char *operator_name = "";
static char *config_json = "{}";
static long long counter;
static volatile long long spins;

/* ---- The status being built ------------------------------------------------------------- */

/* `generation` is the condition's observedGeneration; -1 leaves it out. */
typedef struct { const char *type, *status, *reason, *message, *time; long long generation; } condition;
static condition conditions[MAX_CONDITIONS];
static int condition_count;

static void load_conditions(wo_span test) {
  wo_iter it = wo_iterate(wo_get2(test, "status", "conditions"));
  wo_span c;
  condition_count = 0;
  while (condition_count < MAX_CONDITIONS && wo_next_item(&it, &c)) {
    condition *k = &conditions[condition_count++];
    k->type = wo_text(c, "type");
    k->status = wo_text(c, "status");
    k->reason = wo_text(c, "reason");
    k->message = wo_text(c, "message");
    k->time = wo_text(c, "lastTransitionTime");
    k->generation = wo_int(wo_get(c, "observedGeneration"), -1);
  }
}

/* lastTransitionTime changes only when the condition is new or its status changes. */
static void set_condition(wo_span step, long long generation) {
  const char *type = wo_text(step, "type"), *status = wo_text(step, "status");
  condition *k = NULL;
  for (int i = 0; i < condition_count; i++) if (strcmp(conditions[i].type, type) == 0) k = &conditions[i];
  if (k == NULL) {
    if (condition_count == MAX_CONDITIONS) return;
    k = &conditions[condition_count++];
    k->type = type;
    k->status = "";
  }
  if (strcmp(k->status, status) != 0) k->time = wo_now_rfc3339();
  k->status = status;
  k->generation = generation;
  k->reason = wo_text(step, "reason");
  k->message = wo_text(step, "message");
}

static void write_conditions(wo_buf *b) {
  wo_key(b, "conditions");
  wo_lit(b, "[");
  for (int i = 0; i < condition_count; i++) {
    condition *k = &conditions[i];
    wo_item(b);
    wo_lit(b, "{");
    wo_kstr(b, "type", k->type);
    wo_kstr(b, "status", k->status);
    if (k->generation >= 0) wo_kint(b, "observedGeneration", k->generation);
    wo_kstr(b, "lastTransitionTime", k->time);
    wo_kstr(b, "reason", k->reason);
    wo_kstr(b, "message", k->message);
    wo_lit(b, "}");
  }
  wo_lit(b, "]");
}

/* ---- API helpers -------------------------------------------------------------------------- */

static const char *field_manager_query(void) {
  wo_buf b = { 0 };
  wo_lit(&b, "{");
  wo_kstr(&b, "fieldManager", operator_name);
  wo_lit(&b, "}");
  return wo_keep_buf(&b);
}

/* Records {status} (and the Status message on failure) in the result entry. */
static void record(wo_buf *entry, wo_response *r) {
  wo_kint(entry, "status", r->status);
  if (!wo_ok(r)) {
    char *message = wo_response_message(r);
    wo_kstr(entry, "message", message);
    free(message);
  }
  wo_response_free(r);
}

static const char *step_path(wo_span step) {
  return (const char *)wo_keep(wo_path(wo_text(step, "apiVersion"), wo_text(step, "kind"), wo_text(step, "namespace"), wo_text(step, "name"), ""));
}

/* ---- Steps ---------------------------------------------------------------------------------- */

static void step_get(wo_span step, wo_buf *entry) {
  char *answer = wo_keep(wo_cache_object(wo_text(step, "apiVersion"), wo_text(step, "kind"), wo_text(step, "namespace"), wo_text(step, "name")));
  wo_span obj = wo_span_of(answer);
  int found = !wo_is_null(obj);
  wo_key(entry, "found");
  wo_lit(entry, found ? "true" : "false");
  if (found) wo_kspan(entry, "resourceVersion", wo_get2(obj, "metadata", "resourceVersion"));
}

static void step_list(wo_span step, wo_buf *entry) {
  char *answer = wo_keep(wo_cache_objects(wo_text(step, "apiVersion"), wo_text(step, "kind"), wo_text(step, "namespace"), wo_text(step, "labelSelector")));
  wo_iter it = wo_iterate(wo_get(wo_span_of(answer), "items"));
  wo_span item;
  wo_key(entry, "names");
  wo_lit(entry, "[");
  while (wo_next_item(&it, &item)) {
    wo_span meta = wo_get(item, "metadata");
    const char *ns = wo_text(meta, "namespace"), *name = wo_text(meta, "name");
    wo_buf key = { 0 };
    if (*ns) { wo_lit(&key, ns); wo_lit(&key, "/"); }
    wo_lit(&key, name);
    wo_item(entry);
    wo_str(entry, key.p);
    wo_free(&key);
  }
  wo_lit(entry, "]");
}

static void step_create(wo_span step, wo_buf *entry) {
  wo_span obj = wo_get(step, "object");
  wo_span meta = wo_get(obj, "metadata");
  const char *path = wo_keep(wo_path(wo_text(obj, "apiVersion"), wo_text(obj, "kind"), wo_text(meta, "namespace"), "", ""));
  wo_response r = wo_request("POST", path, field_manager_query(), NULL, obj);
  record(entry, &r);
}

/* GET, replace the top-level fields named in `set`, PUT. */
static void step_update(wo_span step, wo_buf *entry) {
  const char *path = step_path(step);
  wo_response current = wo_request("GET", path, NULL, NULL, (wo_span){ NULL, 0 });
  if (!wo_ok(&current)) { record(entry, &current); return; }
  wo_span set = wo_get(step, "set");
  wo_buf body = { 0 };
  wo_iter it = wo_iterate(current.body);
  wo_span k, v;
  wo_lit(&body, "{");
  while (wo_next_member(&it, &k, &v)) {
    char *key = wo_strdup(k);
    int replaced = wo_present(wo_get(set, key));
    free(key);
    if (replaced) continue;
    wo_sep(&body);
    wo_span_out(&body, k);
    wo_lit(&body, ":");
    wo_span_out(&body, v);
  }
  it = wo_iterate(set);
  while (wo_next_member(&it, &k, &v)) {
    wo_sep(&body);
    wo_span_out(&body, k);
    wo_lit(&body, ":");
    wo_span_out(&body, v);
  }
  wo_lit(&body, "}");
  wo_response_free(&current);
  wo_response r = wo_request("PUT", path, field_manager_query(), NULL, wo_span_of(body.p));
  wo_free(&body);
  record(entry, &r);
}

static void step_patch(wo_span step, wo_buf *entry) {
  const char *type = wo_text(step, "patchType");
  wo_span patch = wo_get(step, "patch");
  const char *path = step_path(step);
  if (strcmp(type, "apply") == 0) {
    /* server-side apply needs the object's identity in the body: fill in what the step left out */
    wo_buf body = { 0 }, meta = { 0 };
    wo_span m = wo_get(patch, "metadata");
    wo_lit(&meta, wo_is_object(m) ? "" : "{}");
    if (wo_is_object(m)) wo_span_out(&meta, m);
    if (!wo_present(wo_get(m, "name"))) { wo_buf t = { 0 }; wo_str(&t, wo_text(step, "name")); wo_buf n = { 0 }; wo_write_replacing(&n, wo_span_of(meta.p), "name", wo_span_of(t.p)); wo_free(&t); wo_free(&meta); meta = n; }
    if (!wo_present(wo_get(m, "namespace")) && *wo_text(step, "namespace")) { wo_buf t = { 0 }; wo_str(&t, wo_text(step, "namespace")); wo_buf n = { 0 }; wo_write_replacing(&n, wo_span_of(meta.p), "namespace", wo_span_of(t.p)); wo_free(&t); wo_free(&meta); meta = n; }
    wo_buf with_meta = { 0 };
    wo_write_replacing(&with_meta, wo_is_object(patch) ? patch : wo_span_of("{}"), "metadata", wo_span_of(meta.p));
    wo_free(&meta);
    wo_lit(&body, "{");
    if (!wo_present(wo_get(patch, "apiVersion"))) wo_kstr(&body, "apiVersion", wo_text(step, "apiVersion"));
    if (!wo_present(wo_get(patch, "kind"))) wo_kstr(&body, "kind", wo_text(step, "kind"));
    wo_sep(&body);
    wo_raw(&body, with_meta.p + 1, with_meta.n - 1); /* its members and closing brace */
    wo_free(&with_meta);
    wo_response r = wo_request("PATCH", path, "{\"fieldManager\":\"conformance\",\"force\":\"true\"}", "application/apply-patch+yaml", wo_span_of(body.p));
    wo_free(&body);
    record(entry, &r);
    return;
  }
  const char *content_type = strcmp(type, "json") == 0 ? "application/json-patch+json"
    : strcmp(type, "strategic") == 0 ? "application/strategic-merge-patch+json" : "application/merge-patch+json";
  wo_response r = wo_request("PATCH", path, field_manager_query(), content_type, patch);
  record(entry, &r);
}

static void step_delete(wo_span step, wo_buf *entry) {
  wo_response r = wo_request("DELETE", step_path(step), NULL, NULL, (wo_span){ NULL, 0 });
  record(entry, &r);
}

static void step_own_config_map(wo_span step, wo_span test, wo_buf *entry) {
  wo_span meta = wo_get(test, "metadata");
  const char *ns = wo_text(meta, "namespace");
  wo_buf cm = { 0 };
  wo_lit(&cm, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{");
  wo_kstr(&cm, "name", wo_text(step, "name"));
  wo_kstr(&cm, "namespace", ns);
  wo_key(&cm, "ownerReferences");
  wo_lit(&cm, "[{");
  wo_kspan(&cm, "apiVersion", wo_get(test, "apiVersion"));
  wo_kspan(&cm, "kind", wo_get(test, "kind"));
  wo_kspan(&cm, "name", wo_get(meta, "name"));
  wo_kspan(&cm, "uid", wo_get(meta, "uid"));
  wo_lit(&cm, ",\"controller\":true,\"blockOwnerDeletion\":true}]}");
  if (wo_present(wo_get(step, "data"))) wo_kspan(&cm, "data", wo_get(step, "data"));
  wo_lit(&cm, "}");
  const char *path = wo_keep(wo_path("v1", "ConfigMap", ns, "", ""));
  wo_response r = wo_request("POST", path, field_manager_query(), NULL, wo_span_of(cm.p));
  wo_free(&cm);
  record(entry, &r);
}

/* The test object, updated in place by the finalizer steps (so later ones see the new version). */
static char *test_json;

static void step_log(wo_span step) {
  const char *level = wo_text(step, "level");
  wo_log_line(*level ? level : "info", wo_text(step, "message"), wo_get(step, "fields"));
}

static void step_grow(wo_span step) {
  size_t bytes = (size_t)wo_int(wo_get(step, "bytes"), 0);
  volatile char *p = (volatile char *)malloc(bytes);
  if (p == NULL) __builtin_trap(); /* past the memory limit: the call ends */
  /* volatile stores, one per page: the compiler may not drop the allocation as unused */
  for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
  free((void *)p);
}

/* ---- Exports ---------------------------------------------------------------------------------- */

void wo_init(char *ptr, int32_t len) {
  wo_span payload = { ptr, (size_t)len };
  operator_name = wo_strdup(wo_get2(payload, "operator", "name"));
  wo_span config = wo_get(payload, "config");
  if (wo_is_object(config)) {
    config_json = (char *)malloc(config.n + 1);
    memcpy(config_json, config.p, config.n);
    config_json[config.n] = '\0';
  }
  free(ptr);
  wo_result_done();
}

typedef struct { int kind; long long delay_ms; const char *message; int terminal; } outcome; /* kind: 0 done, 1 requeue, 2 failed */

static void run_step(wo_span step, wo_span test, outcome *out, wo_buf *entry) {
  const char *op = wo_text(step, "op");
  if (strcmp(op, "get") == 0) step_get(step, entry);
  else if (strcmp(op, "list") == 0) step_list(step, entry);
  else if (strcmp(op, "create") == 0) step_create(step, entry);
  else if (strcmp(op, "update") == 0) step_update(step, entry);
  else if (strcmp(op, "patch") == 0) step_patch(step, entry);
  else if (strcmp(op, "delete") == 0) step_delete(step, entry);
  else if (strcmp(op, "ownConfigMap") == 0) step_own_config_map(step, test, entry);
  else if (strcmp(op, "addFinalizer") == 0) wo_kint(entry, "status", wo_set_finalizer(&test_json, wo_text(step, "finalizer"), 1, field_manager_query()));
  else if (strcmp(op, "removeFinalizer") == 0) wo_kint(entry, "status", wo_set_finalizer(&test_json, wo_text(step, "finalizer"), 0, field_manager_query()));
  else if (strcmp(op, "condition") == 0) set_condition(step, wo_int(wo_get2(test, "metadata", "generation"), 0));
  else if (strcmp(op, "log") == 0) step_log(step);
  else if (strcmp(op, "counter") == 0) wo_kint(entry, "value", ++counter);
  else if (strcmp(op, "config") == 0) {
    wo_span v = wo_get(wo_span_of(config_json), wo_text(step, "key"));
    wo_kspan(entry, "value", v); /* absent: null */
  } else if (strcmp(op, "env") == 0) {
    const char *v = getenv(wo_text(step, "name"));
    wo_key(entry, "value");
    if (v) wo_str(entry, v); else wo_lit(entry, "null");
  } else if (strcmp(op, "requeueAfter") == 0) {
    out->kind = 1;
    out->delay_ms = wo_int(wo_get(step, "delayMs"), 0);
  } else if (strcmp(op, "fail") == 0) {
    out->kind = 2;
    out->message = wo_text(step, "message");
    out->terminal = wo_bool(wo_get(step, "terminal"), 0);
  } else if (strcmp(op, "trap") == 0) __builtin_trap();
  else if (strcmp(op, "loop") == 0) for (;;) spins++;
  else if (strcmp(op, "grow") == 0) step_grow(step);
  else { wo_key(entry, "error"); wo_lit(entry, "\"unknown op\""); }
}

void wo_reconcile(char *ptr, int32_t len) {
  wo_span req = { ptr, (size_t)len };
  const char *ns = wo_text(req, "namespace"), *name = wo_text(req, "name");
  free(ptr);
  test_json = wo_keep(wo_cache_object(GROUP_VERSION, KIND, ns, name));
  if (wo_is_null(wo_span_of(test_json))) { wo_release_all(); wo_result_done(); return; }

  wo_span test = wo_span_of(test_json);
  long long generation = wo_int(wo_get2(test, "metadata", "generation"), 0);
  /* Steps run once per spec change: the status this guest writes triggers another reconcile. */
  if (wo_int(wo_get2(test, "status", "observedGeneration"), -1) == generation) { wo_release_all(); wo_result_done(); return; }
  load_conditions(test);
  outcome out = { 0, 0, "", 0 };
  wo_buf results = { 0 };
  wo_lit(&results, "[");
  wo_iter it = wo_iterate(wo_get2(test, "spec", "steps"));
  wo_span step;
  while (wo_next_item(&it, &step)) {
    wo_buf entry = { 0 };
    wo_lit(&entry, "{");
    run_step(step, test, &out, &entry);
    wo_lit(&entry, "}");
    wo_item(&results);
    wo_raw(&results, entry.p, entry.n);
    wo_free(&entry);
  }
  wo_lit(&results, "]");

  wo_buf patch = { 0 };
  wo_lit(&patch, "{\"status\":{");
  wo_kint(&patch, "observedGeneration", generation);
  wo_key(&patch, "results");
  wo_raw(&patch, results.p, results.n);
  write_conditions(&patch);
  wo_lit(&patch, "}}");
  wo_free(&results);
  const char *path = wo_keep(wo_path(GROUP_VERSION, KIND, ns, name, "status"));
  wo_response r = wo_request("PATCH", path, field_manager_query(), "application/merge-patch+json", wo_span_of(patch.p));
  wo_free(&patch);

  if (!wo_ok(&r) && r.status != 404) wo_result_failed("status write failed", 0);
  else if (out.kind == 1) wo_result_requeue_after(out.delay_ms);
  else if (out.kind == 2) wo_result_failed(out.message, out.terminal);
  else wo_result_done();
  wo_response_free(&r);
  wo_release_all();
}
