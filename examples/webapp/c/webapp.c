/*
 * webapp: a WebApp (image, replicas, port) becomes a Deployment and a Service that it owns.
 * The WebApp's status reports the ready replicas and a Ready condition; a finalizer lets the
 * operator delete what it created before the WebApp goes away. The same operator as
 * ../assembly/index.ts, in C with sdk/c.
 *
 *   wasm-operator build examples/webapp/c/webapp.c -o webapp.wasm
 */
#define WASM_OPERATOR_IMPLEMENTATION
#include "wo_object.h"

#define GROUP_VERSION "example.com/v1"
#define FINALIZER "example.com/webapp-cleanup"

/* Set by wo_init; kept in linear memory, so snapshots carry them. */
static const char *default_image = "nginx:1.27";
/* {"fieldManager":"<operator name>"}: managedFields say who wrote what. */
static const char *write_query = NULL;

/* A kept message: `text` followed by the number `n`. */
static const char *with_number(const char *text, long long n) {
  wo_buf b = { 0 };
  wo_lit(&b, text);
  wo_intout(&b, n);
  return wo_keep_buf(&b);
}

/* A kept message: `text` followed by the API's message in `r`. */
static const char *with_message(const char *text, const wo_response *r) {
  wo_buf b = { 0 };
  wo_lit(&b, text);
  wo_lit(&b, wo_keep(wo_response_message(r)));
  return wo_keep_buf(&b);
}

static void log_failure(const char *what, const wo_response *r) {
  wo_buf fields = { 0 };
  wo_lit(&fields, "{");
  wo_kint(&fields, "status", r->status);
  wo_kstr(&fields, "message", wo_keep(wo_response_message(r)));
  wo_lit(&fields, "}");
  wo_log_line("error", what, wo_span_of(wo_keep_buf(&fields)));
}

/* "Kind ns/name" and the like, kept. */
static const char *describe(const char *verb, const char *kind, const char *ns, const char *name, const char *tail) {
  wo_buf b = { 0 };
  wo_lit(&b, verb);
  wo_lit(&b, kind);
  wo_lit(&b, " ");
  wo_lit(&b, ns);
  wo_lit(&b, "/");
  wo_lit(&b, name);
  wo_lit(&b, tail);
  return wo_keep_buf(&b);
}

/* ---- The desired children -------------------------------------------------------------------- */

static void labels_for(wo_buf *b, wo_span app) {
  wo_lit(b, "{");
  wo_kspan(b, "app.kubernetes.io/name", wo_get2(app, "metadata", "name"));
  wo_kstr(b, "app.kubernetes.io/managed-by", "webapp");
  wo_lit(b, "}");
}

/* Starts an object named and placed like the WebApp, labelled and controlled by it; the caller
 * writes `"spec":{...}` and the closing brace. */
static void owned_by(wo_buf *b, wo_span app, const char *api_version, const char *kind) {
  wo_span meta = wo_get(app, "metadata");
  wo_lit(b, "{");
  wo_kstr(b, "apiVersion", api_version);
  wo_kstr(b, "kind", kind);
  wo_key(b, "metadata");
  wo_lit(b, "{");
  wo_kspan(b, "name", wo_get(meta, "name"));
  wo_kspan(b, "namespace", wo_get(meta, "namespace"));
  wo_key(b, "labels");
  labels_for(b, app);
  wo_key(b, "ownerReferences");
  wo_lit(b, "[");
  wo_owner_reference(b, app, 1);
  wo_lit(b, "]}");
}

static char *desired_deployment(wo_span app, const char *image, long long replicas, long long port) {
  wo_buf b = { 0 };
  owned_by(&b, app, "apps/v1", "Deployment");
  wo_key(&b, "spec");
  wo_lit(&b, "{");
  wo_kint(&b, "replicas", replicas);
  wo_key(&b, "selector");
  wo_lit(&b, "{");
  wo_key(&b, "matchLabels");
  labels_for(&b, app);
  wo_lit(&b, "}");
  wo_key(&b, "template");
  wo_lit(&b, "{\"metadata\":{");
  wo_key(&b, "labels");
  labels_for(&b, app);
  wo_lit(&b, "},\"spec\":{\"containers\":[{\"name\":\"web\"");
  wo_kstr(&b, "image", image);
  wo_lit(&b, ",\"ports\":[{\"name\":\"http\"");
  wo_kint(&b, "containerPort", port);
  wo_lit(&b, "}]}]}}}}");
  return wo_keep_buf(&b);
}

static char *desired_service(wo_span app, long long port) {
  wo_buf b = { 0 };
  owned_by(&b, app, "v1", "Service");
  wo_key(&b, "spec");
  wo_lit(&b, "{");
  wo_key(&b, "selector");
  labels_for(&b, app);
  wo_lit(&b, ",\"ports\":[{\"name\":\"http\"");
  wo_kint(&b, "port", port);
  wo_lit(&b, ",\"targetPort\":\"http\"}]}}");
  return wo_keep_buf(&b);
}

/* ---- Drift ------------------------------------------------------------------------------------- */

/* The first item of the array `list`, or an absent span. */
static wo_span first(wo_span list) {
  wo_iter it = wo_iterate(list);
  wo_span item = { NULL, 0 };
  return wo_next_item(&it, &item) ? item : (wo_span){ NULL, 0 };
}

static int deployment_drift(wo_span current, wo_span desired) {
  wo_span c = first(wo_get(wo_get2(wo_get(current, "spec"), "template", "spec"), "containers"));
  wo_span d = first(wo_get(wo_get2(wo_get(desired, "spec"), "template", "spec"), "containers"));
  if (!wo_is_object(c)) return 1;
  return wo_int(wo_get2(current, "spec", "replicas"), 1) != wo_int(wo_get2(desired, "spec", "replicas"), 1) ||
    strcmp(wo_text(c, "image"), wo_text(d, "image")) != 0 ||
    wo_int(wo_get(first(wo_get(c, "ports")), "containerPort"), -1) != wo_int(wo_get(first(wo_get(d, "ports")), "containerPort"), -1);
}

static int service_drift(wo_span current, wo_span desired) {
  wo_span p = first(wo_get2(current, "spec", "ports"));
  return !wo_is_object(p) || wo_int(wo_get(p, "port"), -1) != wo_int(wo_get(first(wo_get2(desired, "spec", "ports")), "port"), -1);
}

/* ---- Reconcile ----------------------------------------------------------------------------------- */

/*
 * Creates `desired` when the cache has no such object, or merge-patches its spec when `drifted`
 * says the live one differs. Returns the live object (kept), or NULL when the API refused or an
 * object of that name belongs to someone else.
 */
static const char *ensure(wo_span app, const char *desired, int (*drifted)(wo_span, wo_span)) {
  wo_span want = wo_span_of(desired), meta = wo_get(want, "metadata");
  const char *api_version = wo_text(want, "apiVersion"), *kind = wo_text(want, "kind");
  const char *ns = wo_text(meta, "namespace"), *name = wo_text(meta, "name");
  char *current = wo_keep(wo_cache_object(api_version, kind, ns, name));
  if (wo_is_null(wo_span_of(current))) {
    wo_response created = wo_request("POST", wo_keep(wo_path(api_version, kind, ns, "", "")), write_query, NULL, want);
    const char *live = wo_ok(&created) ? wo_copy(created.body) : created.status == 409 ? desired : NULL;
    if (wo_ok(&created)) wo_log_line("info", describe("created ", kind, ns, name, ""), (wo_span){ NULL, 0 });
    /* 409: the cache lags a create of ours; the next event settles it */
    else if (created.status != 409) log_failure(describe("creating ", kind, ns, name, " failed"), &created);
    wo_response_free(&created);
    return live;
  }
  if (!wo_is_controlled_by(wo_span_of(current), app)) {
    wo_log_line("warn", describe("", kind, ns, name, " exists and is not controlled by this WebApp; leaving it alone"), (wo_span){ NULL, 0 });
    return NULL;
  }
  if (!drifted(wo_span_of(current), want)) return current;
  wo_buf patch = { 0 };
  wo_lit(&patch, "{");
  wo_kspan(&patch, "spec", wo_get(want, "spec"));
  wo_lit(&patch, "}");
  wo_response patched = wo_request("PATCH", wo_keep(wo_path(api_version, kind, ns, name, "")), write_query, "application/merge-patch+json", wo_span_of(wo_keep_buf(&patch)));
  const char *live = wo_ok(&patched) ? wo_copy(patched.body) : NULL;
  if (live) wo_log_line("info", describe("updated ", kind, ns, name, ""), (wo_span){ NULL, 0 });
  else log_failure(describe("updating ", kind, ns, name, " failed"), &patched);
  wo_response_free(&patched);
  return live;
}

/* Writes observedGeneration, readyReplicas and the Ready condition, only when they changed. */
static void write_status(wo_span app, wo_span deployment, long long replicas) {
  static const char *const replaced[] = { "observedGeneration", "readyReplicas", "conditions", NULL };
  wo_span previous = wo_get(app, "status"), meta = wo_get(app, "metadata");
  long long generation = wo_int(wo_get(meta, "generation"), 0);
  long long ready = wo_int(wo_get2(deployment, "status", "readyReplicas"), 0);
  int changed = wo_int(wo_get(previous, "observedGeneration"), -1) != generation || wo_int(wo_get(previous, "readyReplicas"), -1) != ready;

  wo_buf summary = { 0 };
  wo_intout(&summary, ready);
  wo_lit(&summary, "/");
  wo_intout(&summary, replicas);
  wo_lit(&summary, " replicas ready");
  wo_condition c = { "Ready", "False", "ReplicasNotReady", wo_keep_buf(&summary), generation };
  if (ready >= replicas) { c.status = "True"; c.reason = "ReplicasReady"; }

  wo_buf patch = { 0 };
  wo_lit(&patch, "{\"status\":{");
  wo_members_except(&patch, previous, replaced);
  wo_kint(&patch, "observedGeneration", generation);
  wo_kint(&patch, "readyReplicas", ready);
  wo_key(&patch, "conditions");
  changed = wo_conditions_set(&patch, wo_get(previous, "conditions"), &c) || changed;
  wo_lit(&patch, "}}");
  const char *body = wo_keep_buf(&patch);
  if (!changed) { wo_result_done(); return; } /* no write, so no watch event, so no reconcile loop */

  const char *path = wo_keep(wo_path(GROUP_VERSION, "WebApp", wo_text(meta, "namespace"), wo_text(meta, "name"), "status"));
  wo_response r = wo_request("PATCH", path, write_query, "application/merge-patch+json", wo_span_of(body));
  if (!wo_ok(&r) && r.status != 404) wo_result_failed(with_message("status update failed: ", &r), 0);
  else wo_result_done();
  wo_response_free(&r);
}

/* Deletes the children explicitly (not only through garbage collection), then lets the WebApp go. */
static void clean_up(char *app) {
  wo_span meta = wo_get(wo_span_of(app), "metadata");
  const char *ns = wo_text(meta, "namespace"), *name = wo_text(meta, "name");
  if (!wo_has_finalizer(wo_span_of(app), FINALIZER)) { wo_result_done(); return; }
  const char *children[][2] = { { "apps/v1", "Deployment" }, { "v1", "Service" } };
  for (int i = 0; i < 2; i++) {
    wo_response r = wo_request("DELETE", wo_keep(wo_path(children[i][0], children[i][1], ns, name, "")), NULL, NULL, (wo_span){ NULL, 0 });
    int failed = !wo_ok(&r) && r.status != 404;
    if (failed) wo_result_failed(with_message("cleanup failed: ", &r), 0);
    wo_response_free(&r);
    if (failed) return;
  }
  int removed = wo_set_finalizer(&app, FINALIZER, 0, write_query);
  if (removed != 0 && removed != 200 && removed != 404) { wo_result_failed(with_number("removing the finalizer failed with HTTP ", removed), 0); return; }
  wo_log_line("info", describe("cleaned up", "", ns, name, ""), (wo_span){ NULL, 0 });
  wo_result_done();
}

static void reconcile(const char *ns, const char *name) {
  char *app = wo_keep(wo_cache_object(GROUP_VERSION, "WebApp", ns, name));
  if (wo_is_null(wo_span_of(app))) { wo_result_done(); return; } /* deleted: owner references let the GC remove the rest */
  if (wo_present(wo_get2(wo_span_of(app), "metadata", "deletionTimestamp"))) { clean_up(app); return; }

  int added = wo_set_finalizer(&app, FINALIZER, 1, write_query);
  if (added != 0 && added != 200) { wo_result_failed(with_number("adding the finalizer failed with HTTP ", added), 0); return; }

  wo_span spec = wo_get(wo_span_of(app), "spec");
  const char *image = wo_text(spec, "image");
  if (*image == '\0') image = default_image;
  long long replicas = wo_int(wo_get(spec, "replicas"), 1);
  long long port = wo_int(wo_get(spec, "port"), 80);

  const char *deployment = ensure(wo_span_of(app), desired_deployment(wo_span_of(app), image, replicas, port), deployment_drift);
  if (deployment == NULL) { wo_result_failed("could not create or update the Deployment", 0); return; }
  if (ensure(wo_span_of(app), desired_service(wo_span_of(app), port), service_drift) == NULL) {
    wo_result_failed("could not create or update the Service", 0);
    return;
  }
  write_status(wo_span_of(app), wo_span_of(deployment), replicas);
}

/* ---- Exports ---------------------------------------------------------------------------------------- */

void wo_init(char *ptr, int32_t len) {
  wo_span payload = { ptr, (size_t)len };
  wo_span image = wo_get2(payload, "config", "defaultImage");
  if (wo_is_string(image) && image.n > 2) default_image = wo_strdup(image);
  wo_span name = wo_get2(payload, "operator", "name");
  if (wo_is_string(name)) {
    wo_buf query = { 0 };
    wo_lit(&query, "{");
    wo_kspan(&query, "fieldManager", name);
    wo_lit(&query, "}");
    write_query = query.p; /* lives as long as the operator */
  }
  free(ptr);
  wo_result_done();
}

void wo_reconcile(char *ptr, int32_t len) {
  wo_span req = { ptr, (size_t)len };
  const char *ns = wo_text(req, "namespace"), *name = wo_text(req, "name");
  free(ptr);
  reconcile(ns, name);
  wo_release_all();
}
