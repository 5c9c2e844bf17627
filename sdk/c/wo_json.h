/*
 * wo_json.h: a small JSON reader and writer for wasm-operator guests in C (written for this
 * project; Apache-2.0 like the rest of it).
 *
 * Reading never copies or allocates: a `wo_span` is a value's text inside the payload, and
 * lookups walk that text. This suits operators, which read a few fields of each object and
 * pass most of it through unchanged (a span can be written back verbatim). Input is assumed
 * to be valid JSON (it comes from the host); malformed input gives empty spans, never a crash.
 *
 * Writing appends to a growable `wo_buf`; `wo_key`/`wo_item` insert the commas.
 */
#ifndef WO_JSON_H
#define WO_JSON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The text of one JSON value; p == NULL means absent. */
typedef struct { const char *p; size_t n; } wo_span;

static inline wo_span wo_span_of(const char *s) { wo_span v = { s, s ? strlen(s) : 0 }; return v; }
static inline int wo_present(wo_span v) { return v.p != NULL && v.n > 0; }
static inline int wo_is_null(wo_span v) { return !wo_present(v) || (v.n == 4 && memcmp(v.p, "null", 4) == 0); }
static inline int wo_is_object(wo_span v) { return wo_present(v) && v.p[0] == '{'; }
static inline int wo_is_array(wo_span v) { return wo_present(v) && v.p[0] == '['; }
static inline int wo_is_string(wo_span v) { return wo_present(v) && v.p[0] == '"'; }

static inline const char *wo__ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  return p;
}

/* The end of the value starting at p (after skipping whitespace), or end when malformed. */
static inline const char *wo__skip(const char *p, const char *end) {
  p = wo__ws(p, end);
  if (p >= end) return end;
  if (*p == '"') {
    for (p++; p < end; p++) {
      if (*p == '\\') p++;
      else if (*p == '"') return p + 1;
    }
    return end;
  }
  if (*p == '{' || *p == '[') {
    int depth = 0;
    for (; p < end; p++) {
      if (*p == '"') { p = wo__skip(p, end) - 1; continue; }
      if (*p == '{' || *p == '[') depth++;
      else if ((*p == '}' || *p == ']') && --depth == 0) return p + 1;
    }
    return end;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') p++;
  return p;
}

/* Iteration over an object's members or an array's items. */
typedef struct { const char *p, *end; } wo_iter;

static inline wo_iter wo_iterate(wo_span container) {
  wo_iter it = { NULL, NULL };
  if (wo_is_object(container) || wo_is_array(container)) { it.p = container.p + 1; it.end = container.p + container.n - 1; }
  return it;
}

/* The next item of an array; 0 at the end. */
static inline int wo_next_item(wo_iter *it, wo_span *value) {
  if (it->p == NULL) return 0;
  const char *p = wo__ws(it->p, it->end);
  if (p < it->end && *p == ',') p = wo__ws(p + 1, it->end);
  if (p >= it->end) return 0;
  const char *e = wo__skip(p, it->end);
  value->p = p;
  value->n = (size_t)(e - p);
  it->p = e;
  return e > p;
}

/* The next member of an object (key is the quoted key's text); 0 at the end. */
static inline int wo_next_member(wo_iter *it, wo_span *key, wo_span *value) {
  if (!wo_next_item(it, key)) return 0;
  const char *p = wo__ws(it->p, it->end);
  if (p >= it->end || *p != ':') return 0;
  it->p = p + 1;
  return wo_next_item(it, value);
}

/* True when the JSON string `v` equals `s` (keys and values without escapes compare exactly). */
static inline int wo_str_eq(wo_span v, const char *s) {
  size_t n = strlen(s);
  return wo_is_string(v) && v.n == n + 2 && memcmp(v.p + 1, s, n) == 0;
}

/* The member `key` of object `obj`, or an absent span. */
static inline wo_span wo_get(wo_span obj, const char *key) {
  wo_iter it = wo_iterate(obj);
  wo_span k, v, none = { NULL, 0 };
  if (!wo_is_object(obj)) return none;
  while (wo_next_member(&it, &k, &v)) if (wo_str_eq(k, key)) return v;
  return none;
}

/* `obj.a.b`: a member of a member (either may be absent). */
static inline wo_span wo_get2(wo_span obj, const char *a, const char *b) { return wo_get(wo_get(obj, a), b); }

static inline unsigned wo__hex4(const char *p) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v = (v << 4) | (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
  }
  return v;
}

/* A malloc'd, NUL-terminated copy of the JSON string `v` with escapes decoded; "" when `v` is
 * not a string. \uXXXX escapes become UTF-8 (surrogate pairs included). Free it. */
static inline char *wo_strdup(wo_span v) {
  char *out = (char *)malloc(wo_is_string(v) ? v.n : 1);
  size_t n = 0;
  if (out == NULL) return NULL;
  if (wo_is_string(v)) {
    for (size_t i = 1; i + 1 < v.n; i++) {
      char c = v.p[i];
      if (c != '\\' || i + 2 >= v.n) { out[n++] = c; continue; }
      c = v.p[++i];
      switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
          if (i + 4 >= v.n) break;
          unsigned cp = wo__hex4(v.p + i + 1);
          i += 4;
          if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < v.n && v.p[i + 1] == '\\' && v.p[i + 2] == 'u') {
            unsigned lo = wo__hex4(v.p + i + 3);
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
          if (cp < 0x80) out[n++] = (char)cp;
          else if (cp < 0x800) { out[n++] = (char)(0xc0 | (cp >> 6)); out[n++] = (char)(0x80 | (cp & 0x3f)); }
          else if (cp < 0x10000) { out[n++] = (char)(0xe0 | (cp >> 12)); out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f)); out[n++] = (char)(0x80 | (cp & 0x3f)); }
          else { out[n++] = (char)(0xf0 | (cp >> 18)); out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f)); out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f)); out[n++] = (char)(0x80 | (cp & 0x3f)); }
          break;
        }
        default: out[n++] = c; /* \" \\ \/ */
      }
    }
  }
  out[n] = '\0';
  return out;
}

/* The number `v` truncated to an integer, or `fallback` when it is not a number. */
static inline long long wo_int(wo_span v, long long fallback) {
  size_t i = 0;
  int negative = wo_present(v) && v.p[0] == '-';
  unsigned long long n = 0;
  if (negative) i = 1;
  if (!wo_present(v) || i >= v.n || v.p[i] < '0' || v.p[i] > '9') return fallback;
  for (; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++) n = n * 10 + (unsigned)(v.p[i] - '0');
  return negative ? (long long)(0ULL - n) : (long long)n;
}

static inline int wo_bool(wo_span v, int fallback) {
  if (wo_present(v) && v.n == 4 && memcmp(v.p, "true", 4) == 0) return 1;
  if (wo_present(v) && v.n == 5 && memcmp(v.p, "false", 5) == 0) return 0;
  return fallback;
}

/* ---- Writing ------------------------------------------------------------------------- */

/* A growable buffer; `failed` is set (and writes stop) when memory runs out. */
typedef struct { char *p; size_t n, cap; int failed; } wo_buf;

static inline void wo_raw(wo_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    char *p = (char *)realloc(b->p, cap);
    if (p == NULL) { b->failed = 1; return; }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0'; /* always a C string too */
}

static inline void wo_lit(wo_buf *b, const char *s) { wo_raw(b, s, strlen(s)); }
static inline void wo_span_out(wo_buf *b, wo_span v) { if (wo_present(v)) wo_raw(b, v.p, v.n); else wo_lit(b, "null"); }
static inline void wo_free(wo_buf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; b->failed = 0; }

/* A comma, unless the value being started is the first in its object or array. */
static inline void wo_sep(wo_buf *b) {
  if (b->n > 0 && b->p[b->n - 1] != '{' && b->p[b->n - 1] != '[' && b->p[b->n - 1] != ':') wo_lit(b, ",");
}

/* `s` as a quoted JSON string. */
static inline void wo_str(wo_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  wo_lit(b, "\"");
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') { char e[2] = { '\\', (char)c }; wo_raw(b, e, 2); }
    else if (c == '\n') wo_lit(b, "\\n");
    else if (c < 0x20) { char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] }; wo_raw(b, e, 6); }
    else wo_raw(b, (const char *)p, 1);
  }
  wo_lit(b, "\"");
}

/* Written by hand: snprintf would link wasi-libc's whole printf (tens of KB). */
static inline void wo_intout(wo_buf *b, long long v) {
  char digits[24];
  int n = sizeof digits;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do { digits[--n] = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) digits[--n] = '-';
  wo_raw(b, digits + n, sizeof digits - (size_t)n);
}

/* Starts member `key` of the object being written (then write its value). */
static inline void wo_key(wo_buf *b, const char *key) { wo_sep(b); wo_str(b, key); wo_lit(b, ":"); }
/* Starts the next item of the array being written. */
static inline void wo_item(wo_buf *b) { wo_sep(b); }
static inline void wo_kstr(wo_buf *b, const char *key, const char *s) { wo_key(b, key); wo_str(b, s); }
static inline void wo_kint(wo_buf *b, const char *key, long long v) { wo_key(b, key); wo_intout(b, v); }
static inline void wo_kspan(wo_buf *b, const char *key, wo_span v) { wo_key(b, key); wo_span_out(b, v); }

#endif /* WO_JSON_H */
