/*
 * The JavaScript engine of wasm-operator's JS/TypeScript SDK: QuickJS plus the operator ABI
 * (docs/abi.md, version 1), built as one wasm32-wasi reactor that every JS operator shares.
 *
 * An operator's script is evaluated once, at build time, through `wo_js_load`; the build
 * then saves this module's memory as the operator's pre-initialised image, so a cold start
 * restores the image and never parses the script again. The script registers its handlers
 * on `globalThis.__wo_guest` (the SDK does this); the ABI exports call them with parsed
 * payloads. Host imports are exposed to the script as synchronous functions on
 * `globalThis.__wo_host`, taking and returning plain JS values (JSON crosses the boundary).
 *
 * Out of memory traps instead of throwing: past the host's memory limit the instance is
 * discarded and the operator restarts from its last snapshot, as for any guest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quickjs.h"
#include "wasm_operator.h" /* the ABI's imports and exports, as sdk/c spells them */

/* wasi-libc's dlmalloc has it; its headers do not declare it. */
size_t malloc_usable_size(void *ptr);

/* The shadow stack QuickJS may use before deep recursion throws "stack overflow" (about 1,000
   JS frames). Below the linked stack size, and small enough that V8's own stack, which holds
   wasm frames (about 2 bytes for every shadow-stack byte here), is not exhausted first: that
   would be a trap instead of a catchable error. */
#define WO_JS_STACK_BYTES (192 * 1024)

static JSRuntime *rt;
static JSContext *ctx;

/* ---- memory ---------------------------------------------------------------------------- */

/* A fixed message: logging must not allocate when memory is exhausted. */
static const char oom_log[] =
    "{\"level\":\"error\",\"message\":\"JavaScript engine out of memory: the memory limit was reached\"}";

static _Noreturn void out_of_memory(void) {
    wo_log(oom_log, sizeof(oom_log) - 1);
    __builtin_trap();
}

static void *wo_js_malloc(JSMallocState *s, size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) out_of_memory();
    s->malloc_count++;
    s->malloc_size += malloc_usable_size(p) + 8;
    return p;
}

static void wo_js_free(JSMallocState *s, void *ptr) {
    if (!ptr) return;
    s->malloc_count--;
    s->malloc_size -= malloc_usable_size(ptr) + 8;
    free(ptr);
}

static void *wo_js_realloc(JSMallocState *s, void *ptr, size_t size) {
    if (!ptr) return size ? wo_js_malloc(s, size) : NULL;
    if (size == 0) {
        wo_js_free(s, ptr);
        return NULL;
    }
    size_t old = malloc_usable_size(ptr);
    void *p = realloc(ptr, size);
    if (!p) out_of_memory();
    s->malloc_size += malloc_usable_size(p) - old;
    return p;
}

static size_t wo_js_usable_size(const void *ptr) { return malloc_usable_size((void *)ptr); }

static const JSMallocFunctions wo_malloc_functions = {
    wo_js_malloc, wo_js_free, wo_js_realloc, wo_js_usable_size,
};

int32_t wo_abi_version(void) { return WO_ABI_VERSION; }

/* One spare byte holds a terminator: QuickJS parses only NUL-terminated text. */
char *wo_alloc(int32_t size) {
    if (size < 0) return NULL;
    char *p = malloc((size_t)size + 1);
    if (p) p[size] = '\0';
    return p;
}

/* ---- host calls ------------------------------------------------------------------------ */

typedef int32_t (*answering_import)(const char *ptr, int32_t len);

/* Reads the host's pending answer of `n` bytes and parses it as JSON. */
static JSValue read_answer(JSContext *c, int32_t n) {
    if (n < 0) return JS_ThrowInternalError(c, "the host refused a call (answer length %d)", n);
    char *buf = malloc((size_t)n + 1);
    if (!buf) out_of_memory();
    if (wo_response_read(buf, n) != n) {
        free(buf);
        return JS_ThrowInternalError(c, "response_read did not copy the %d bytes announced", n);
    }
    buf[n] = '\0'; /* JS_ParseJSON wants a terminated buffer */
    JSValue v = JS_ParseJSON(c, buf, (size_t)n, "<host answer>");
    free(buf);
    return v;
}

/* Serialises argv[0] as JSON and hands it to `call`; NULL `call` result means no answer. */
static JSValue call_host(JSContext *c, JSValueConst arg, answering_import answering,
                         void (*silent)(const char *, int32_t)) {
    JSValue json = JS_JSONStringify(c, arg, JS_UNDEFINED, JS_UNDEFINED);
    if (JS_IsException(json)) return json;
    if (!JS_IsString(json)) {
        JS_FreeValue(c, json);
        return JS_ThrowTypeError(c, "a host call needs a JSON-serialisable value");
    }
    size_t len;
    const char *s = JS_ToCStringLen(c, &len, json);
    JS_FreeValue(c, json);
    if (!s) return JS_EXCEPTION;
    if (silent) {
        silent(s, (int32_t)len);
        JS_FreeCString(c, s);
        return JS_UNDEFINED;
    }
    int32_t n = answering(s, (int32_t)len);
    JS_FreeCString(c, s);
    return read_answer(c, n);
}

static JSValue js_kube_request(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return call_host(c, argv[0], wo_kube_request, NULL);
}

static JSValue js_cache_get(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return call_host(c, argv[0], wo_cache_get, NULL);
}

static JSValue js_cache_list(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return call_host(c, argv[0], wo_cache_list, NULL);
}

static JSValue js_set_result(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return call_host(c, argv[0], NULL, wo_set_result);
}

static JSValue js_log(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return call_host(c, argv[0], NULL, wo_log);
}

/* getenv(name): a WASI environment variable (the operator's configuration), or undefined. */
static JSValue js_getenv(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    const char *name = JS_ToCString(c, argv[0]);
    if (!name) return JS_EXCEPTION;
    const char *value = getenv(name);
    JS_FreeCString(c, name);
    return value ? JS_NewString(c, value) : JS_UNDEFINED;
}

/* fillRandom(typedArrayOrBuffer): fills it from WASI random_get (crypto.getRandomValues). */
static JSValue js_fill_random(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t offset = 0, length = 0, size = 0;
    uint8_t *bytes;
    JSValue buffer = JS_GetTypedArrayBuffer(c, argv[0], &offset, &length, NULL);
    if (JS_IsException(buffer)) {
        JS_FreeValue(c, JS_GetException(c));
        bytes = JS_GetArrayBuffer(c, &size, argv[0]);
        if (!bytes) return JS_EXCEPTION;
        offset = 0;
        length = size;
    } else {
        bytes = JS_GetArrayBuffer(c, &size, buffer);
        JS_FreeValue(c, buffer);
        if (!bytes) return JS_EXCEPTION;
    }
    for (size_t done = 0; done < length;) {
        size_t chunk = length - done > 256 ? 256 : length - done; /* getentropy's limit */
        if (getentropy(bytes + offset + done, chunk) != 0)
            return JS_ThrowInternalError(c, "random_get failed");
        done += chunk;
    }
    return JS_DupValue(c, argv[0]);
}

/* random(): a double in [0, 1) from WASI random_get, so that instances restored from one
   image do not share QuickJS's build-time Math.random seed. */
static JSValue js_random(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    uint64_t bits;
    if (getentropy(&bits, sizeof bits) != 0) return JS_ThrowInternalError(c, "random_get failed");
    return JS_NewFloat64(c, (double)(bits >> 11) * (1.0 / 9007199254740992.0));
}

/* abort(message): logs the message and traps; the host discards this instance. */
static JSValue js_abort(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    JSValue entry = JS_NewObject(c);
    JS_SetPropertyStr(c, entry, "level", JS_NewString(c, "error"));
    JS_SetPropertyStr(c, entry, "message", JS_ToString(c, argv[0]));
    JS_FreeValue(c, call_host(c, entry, NULL, wo_log));
    JS_FreeValue(c, entry);
    __builtin_trap();
}

static const JSCFunctionListEntry host_functions[] = {
    JS_CFUNC_DEF("kubeRequest", 1, js_kube_request),
    JS_CFUNC_DEF("cacheGet", 1, js_cache_get),
    JS_CFUNC_DEF("cacheList", 1, js_cache_list),
    JS_CFUNC_DEF("setResult", 1, js_set_result),
    JS_CFUNC_DEF("log", 1, js_log),
    JS_CFUNC_DEF("getenv", 1, js_getenv),
    JS_CFUNC_DEF("fillRandom", 1, js_fill_random),
    JS_CFUNC_DEF("random", 0, js_random),
    JS_CFUNC_DEF("abort", 1, js_abort),
};

/* ---- errors ---------------------------------------------------------------------------- */

/* Appends `n` bytes to the growing buffer *buf of *len bytes (traps when memory is out). */
static void append(char **buf, size_t *len, const char *s, size_t n) {
    char *p = realloc(*buf, *len + n + 1);
    if (!p) out_of_memory();
    memcpy(p + *len, s, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
}

/* Appends the text of `v` (or a placeholder when it cannot be printed). */
static void append_value(char **buf, size_t *len, JSValueConst v) {
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, v);
    if (!s) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        append(buf, len, "(unprintable exception)", 23);
        return;
    }
    append(buf, len, s, n);
    JS_FreeCString(ctx, s);
}

/* Sends `{"level":"error","message":text}` (and, if `as_result`, a `failed` outcome). */
static void report_text(const char *text, size_t len, int as_result) {
    JSValue message = JS_NewStringLen(ctx, text, len);
    JSValue entry = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, entry, "level", JS_NewString(ctx, "error"));
    JS_SetPropertyStr(ctx, entry, "message", JS_DupValue(ctx, message));
    JS_FreeValue(ctx, call_host(ctx, entry, NULL, wo_log));
    JS_FreeValue(ctx, entry);
    if (as_result) {
        JSValue result = JS_NewObject(ctx);
        JS_SetPropertyStr(ctx, result, "kind", JS_NewString(ctx, "failed"));
        JS_SetPropertyStr(ctx, result, "message", JS_DupValue(ctx, message));
        JS_SetPropertyStr(ctx, result, "terminal", JS_FALSE);
        JS_FreeValue(ctx, call_host(ctx, result, NULL, wo_set_result));
        JS_FreeValue(ctx, result);
    }
    JS_FreeValue(ctx, message);
}

/* Reports the pending exception, prefixed by `what`, with its stack when it has one. */
static void report_exception(const char *what, int as_result) {
    JSValue err = JS_GetException(ctx);
    char *text = NULL;
    size_t len = 0;
    append(&text, &len, what, strlen(what));
    append_value(&text, &len, err);
    if (JS_IsError(ctx, err)) {
        JSValue stack = JS_GetPropertyStr(ctx, err, "stack");
        if (JS_IsString(stack)) {
            append(&text, &len, "\n", 1);
            append_value(&text, &len, stack);
        }
        JS_FreeValue(ctx, stack);
    }
    JS_FreeValue(ctx, err);
    report_text(text, len, as_result);
    free(text);
}

/* Runs every queued promise job, so async handlers settle before the export returns. */
static void drain_jobs(void) {
    JSContext *job_ctx;
    for (;;) {
        int r = JS_ExecutePendingJob(rt, &job_ctx);
        if (r == 0) return;
        if (r < 0) report_exception("a promise job threw: ", 0);
    }
}

/* ---- lifecycle ------------------------------------------------------------------------- */

static int ensure_engine(void) {
    if (ctx) return 1;
    rt = JS_NewRuntime2(&wo_malloc_functions, NULL);
    if (!rt) return 0;
    JS_SetMaxStackSize(rt, WO_JS_STACK_BYTES);
    ctx = JS_NewContext(rt);
    if (!ctx) return 0;
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue host = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, host, host_functions,
                               sizeof(host_functions) / sizeof(host_functions[0]));
    JS_DefinePropertyValueStr(ctx, global, "__wo_host", host, JS_PROP_CONFIGURABLE);
    /* QuickJS seeds Math.random once, at build time: every instance of an image would
       draw the same numbers. Ours asks WASI each time. */
    JSValue math = JS_GetPropertyStr(ctx, global, "Math");
    JS_SetPropertyStr(ctx, math, "random", JS_NewCFunction(ctx, js_random, "random", 0));
    JS_FreeValue(ctx, math);
    JS_FreeValue(ctx, global);
    return 1;
}

/*
 * Build time only: evaluates an operator's bundled script (`len` UTF-8 bytes at `ptr`, owned
 * by the engine from now on). Returns 0 on success; on failure logs the exception and returns
 * 1. Afterwards the build saves this module's memory as the operator's pre-initialised image.
 */
WO_EXPORT("wo_js_load") int32_t wo_js_load(char *ptr, int32_t len) {
    if (!ensure_engine()) out_of_memory();
    JS_UpdateStackTop(rt);
    /* JS_Eval wants a terminated buffer: copy with a terminator. */
    char *source = malloc((size_t)len + 1);
    if (!source) out_of_memory();
    memcpy(source, ptr, (size_t)len);
    source[len] = '\0';
    free(ptr);
    JSValue v = JS_Eval(ctx, source, (size_t)len, "operator.js", JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
    free(source);
    int32_t status = 0;
    if (JS_IsException(v)) {
        report_exception("the operator's script threw while loading: ", 0);
        status = 1;
    }
    JS_FreeValue(ctx, v);
    drain_jobs();
    JS_RunGC(rt);
    return status;
}

/* Calls `__wo_guest[method](payload)` with the JSON payload at ptr (freed here). */
static void dispatch(const char *method, char *ptr, int32_t len) {
    JS_UpdateStackTop(rt);
    JSValue payload = JS_ParseJSON(ctx, ptr, (size_t)len, "<host payload>");
    free(ptr);
    if (JS_IsException(payload)) {
        report_exception("the host sent a payload that is not JSON: ", 1);
        return;
    }
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue guest = JS_GetPropertyStr(ctx, global, "__wo_guest");
    JS_FreeValue(ctx, global);
    JSValue fn = JS_GetPropertyStr(ctx, guest, method);
    if (!JS_IsFunction(ctx, fn)) {
        JS_ThrowTypeError(ctx, "no JavaScript operator is loaded (this engine module has no pre-initialised image, or its script did not register a %s handler)", method);
        report_exception("", 1);
    } else {
        JSValue r = JS_Call(ctx, fn, guest, 1, (JSValueConst *)&payload);
        if (JS_IsException(r)) report_exception("", 1);
        JS_FreeValue(ctx, r);
        drain_jobs();
    }
    JS_FreeValue(ctx, fn);
    JS_FreeValue(ctx, guest);
    JS_FreeValue(ctx, payload);
}

static int ensure_loaded(char *ptr) {
    if (ctx) return 1;
    free(ptr);
    static const char msg[] =
        "{\"kind\":\"failed\",\"terminal\":true,\"message\":\"no JavaScript operator is loaded: this engine module has no pre-initialised image (build it with wasm-operator build --lang js)\"}";
    wo_set_result(msg, sizeof(msg) - 1);
    return 0;
}

void wo_init(char *ptr, int32_t len) {
    if (ensure_loaded(ptr)) dispatch("init", ptr, len);
}

void wo_reconcile(char *ptr, int32_t len) {
    if (ensure_loaded(ptr)) dispatch("reconcile", ptr, len);
}
