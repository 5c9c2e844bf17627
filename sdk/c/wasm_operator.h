/*
 * wasm_operator.h: the wasm-operator ABI, version 1, for C (and anything that links C:
 * Rust, Zig, TinyGo). The contract is docs/abi.md; this header only spells it in C.
 *
 * Build (Debian: clang, lld, wasi-libc, libclang-rt-dev-wasm32):
 *
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -I sdk/c -o op.wasm op.c
 *
 * or `wasm-operator build op.c -o op.wasm`, which also embeds the manifest.
 *
 * An operator defines two functions, `wo_init` and `wo_reconcile` (declared below with their
 * export names). In exactly one .c file, `#define WASM_OPERATOR_IMPLEMENTATION` before
 * including this header: that defines `wo_abi_version` and `wo_alloc` (on malloc).
 *
 * Every payload is UTF-8 JSON. Answers come in two steps: an import returns the answer's
 * length n, and `wo_response_read` copies it into n bytes the guest provides. `wo_answer`
 * below does both and returns a malloc'd, NUL-terminated copy.
 */
#ifndef WASM_OPERATOR_H
#define WASM_OPERATOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WO_ABI_VERSION 1

#define WO_IMPORT(name) __attribute__((import_module("wasm_operator"), import_name(name)))
#define WO_EXPORT(name) __attribute__((export_name(name)))

/* ---- Host imports (module "wasm_operator") ---------------------------------------------- */

/* One Kubernetes API request {method, path, query?, contentType?, body?}; may wait (JSPI).
 * Returns the length of the pending answer {status, body}. Never fails: errors are statuses. */
WO_IMPORT("kube_request") int32_t wo_kube_request(const char *ptr, int32_t len);
/* {apiVersion, kind, namespace?, name} -> the cached object, or `null`. */
WO_IMPORT("cache_get") int32_t wo_cache_get(const char *ptr, int32_t len);
/* {apiVersion, kind, namespace?, labelSelector?} -> {"items": [...]} in namespace/name order. */
WO_IMPORT("cache_list") int32_t wo_cache_list(const char *ptr, int32_t len);
/* Copies the pending answer to ptr; len must equal its length. Returns bytes copied, or -1. */
WO_IMPORT("response_read") int32_t wo_response_read(char *ptr, int32_t len);
/* The outcome of the current call: {"kind":"done"} | {"kind":"requeueAfter","delayMs":n} |
 * {"kind":"failed","message":"...","terminal":false}. The last call wins; none means done. */
WO_IMPORT("set_result") void wo_set_result(const char *ptr, int32_t len);
/* {"level":"debug|info|warn|error","message":"...","fields":{...}} */
WO_IMPORT("log") void wo_log(const char *ptr, int32_t len);

/* ---- Guest exports ------------------------------------------------------------------------ */

/* Must return WO_ABI_VERSION (defined by WASM_OPERATOR_IMPLEMENTATION). */
WO_EXPORT("wo_abi_version") int32_t wo_abi_version(void);
/* A buffer for a payload the host is about to pass; NULL when out of memory (defined by
 * WASM_OPERATOR_IMPLEMENTATION, with malloc: the export receiving the buffer frees it). */
WO_EXPORT("wo_alloc") char *wo_alloc(int32_t size);
/* Called once with {"abiVersion":1,"operator":{"name":...},"config":{...}}; free(ptr) when done.
 * The host snapshots the instance right after, so later cold starts skip it. */
WO_EXPORT("wo_init") void wo_init(char *ptr, int32_t len);
/* Called with {"apiVersion","kind","namespace"?,"name"}; free(ptr) when done. */
WO_EXPORT("wo_reconcile") void wo_reconcile(char *ptr, int32_t len);

/* ---- Helpers ------------------------------------------------------------------------------ */

/* Reads the pending answer of length n: a malloc'd copy with a NUL after its n bytes (so it
 * can be used as a C string), or NULL when n < 0 or memory ran out. The caller frees it. */
static inline char *wo_answer(int32_t n) {
  if (n < 0) return NULL;
  char *buf = (char *)malloc((size_t)n + 1);
  if (buf == NULL) return NULL;
  if (wo_response_read(buf, n) != n) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}

/* Shorthands: send a NUL-terminated JSON payload, get the answer as a malloc'd string. */
static inline char *wo_kube_request_str(const char *json) { return wo_answer(wo_kube_request(json, (int32_t)strlen(json))); }
static inline char *wo_cache_get_str(const char *json) { return wo_answer(wo_cache_get(json, (int32_t)strlen(json))); }
static inline char *wo_cache_list_str(const char *json) { return wo_answer(wo_cache_list(json, (int32_t)strlen(json))); }
static inline void wo_set_result_str(const char *json) { wo_set_result(json, (int32_t)strlen(json)); }
static inline void wo_log_str(const char *json) { wo_log(json, (int32_t)strlen(json)); }

#ifdef WASM_OPERATOR_IMPLEMENTATION
int32_t wo_abi_version(void) { return WO_ABI_VERSION; }
char *wo_alloc(int32_t size) { return size < 0 ? NULL : (char *)malloc(size == 0 ? 1 : (size_t)size); }
#endif

#ifdef __cplusplus
}
#endif

#endif /* WASM_OPERATOR_H */
