// A guest that changes its state pseudo-randomly on every step: malloc'd heap (allocations,
// reallocations, frees, growth), the shadow stack (recursion over stack arrays), static data,
// and stdout. Each step also waits on a suspending host function (JSPI).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((import_module("env"), import_name("host_value"))) int32_t host_value(int32_t x);

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint8_t *blocks[64];
static size_t sizes[64];
static uint32_t steps;

static uint64_t next(void) {
  seed ^= seed >> 12;
  seed ^= seed << 25;
  seed ^= seed >> 27;
  return seed * 0x2545f4914f6cdd1dull;
}

static uint64_t recurse(int depth, uint64_t acc) {
  volatile uint8_t frame[96];
  for (int i = 0; i < 96; i++) frame[i] = (uint8_t)next();
  if (depth == 0) return acc ^ frame[acc % 96];
  return recurse(depth - 1, acc * 31 + frame[depth % 96]) ^ frame[(acc >> 3) % 96];
}

__attribute__((export_name("init"))) void init(uint64_t s) { seed = s | 1; }

__attribute__((export_name("step"))) uint64_t step(int32_t x) {
  steps++;
  int32_t from_host = host_value(x);
  uint64_t r = next();
  int slot = (int)(next() % 64);
  switch (r % 5) {
    case 0: {
      size_t size = (size_t)(next() % 16384) + 1;
      free(blocks[slot]);
      blocks[slot] = malloc(size);
      sizes[slot] = size;
      for (size_t i = 0; i < size; i++) blocks[slot][i] = (uint8_t)next();
      break;
    }
    case 1:
      if (blocks[slot] != NULL) {
        size_t size = sizes[slot] * 2 + (size_t)(next() % 4096);
        if (size > 1 << 20) size = 1 << 20;
        blocks[slot] = realloc(blocks[slot], size);
        memset(blocks[slot] + sizes[slot], (int)(r & 0xff), size - sizes[slot]);
        sizes[slot] = size;
      }
      break;
    case 2:
      free(blocks[slot]);
      blocks[slot] = NULL;
      sizes[slot] = 0;
      break;
    case 3:
      if (r % 7 == 0) printf("step %u: slot %d holds %zu bytes\n", steps, slot, sizes[slot]);
      break;
    default:
      r ^= recurse((int)(next() % 150) + 1, r);
  }
  uint64_t h = seed ^ ((uint64_t)steps << 32) ^ (uint64_t)(uint32_t)from_host ^ r;
  for (int i = 0; i < 64; i++) {
    if (blocks[i] != NULL) h = h * 1099511628211ull + sizes[i] + blocks[i][sizes[i] - 1];
  }
  return h;
}
