// Fills a chosen amount of heap with data shaped like an operator's cache (JSON-ish records
// with varying names and numbers), and can change part of it: the subject of the snapshot
// benchmark.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *heap;
static size_t heap_bytes;
static uint64_t seed = 88172645463325252ull;

static uint64_t next(void) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return seed;
}

__attribute__((export_name("fill"))) int fill(int kib) {
  free(heap);
  heap_bytes = (size_t)kib * 1024;
  heap = malloc(heap_bytes);
  if (heap == NULL) return -1;
  size_t at = 0;
  while (at + 160 < heap_bytes) {
    uint64_t r = next();
    at += (size_t)snprintf(heap + at, 160,
      "{\"kind\":\"Pod\",\"name\":\"web-%llx\",\"namespace\":\"team-%u\",\"resourceVersion\":\"%llu\",\"ready\":%s}",
      (unsigned long long)(r & 0xffffff), (unsigned)(r >> 60), (unsigned long long)(r >> 20), (r & 1) ? "true" : "false");
  }
  memset(heap + at, 0, heap_bytes - at);
  return (int)at;
}

/** Grows the memory by `kib` without writing to it (a heap that was large once, then freed). */
__attribute__((export_name("reserve"))) int reserve(int kib) {
  void *block = malloc((size_t)kib * 1024);
  int ok = block != NULL;
  free(block);
  return ok;
}

/** Rewrites `percent` of the filled bytes in place (what changes between two suspends). */
__attribute__((export_name("touch"))) uint32_t touch(int percent) {
  size_t span = heap_bytes * (size_t)percent / 100;
  uint32_t h = 0;
  for (size_t i = 0; i < span; i += 64) {
    heap[i] = (char)('a' + next() % 26);
    h = h * 31 + (uint8_t)heap[i];
  }
  return h;
}
