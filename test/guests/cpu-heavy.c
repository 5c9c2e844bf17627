// CPU-bound work with tight loops and many calls, and no imports at all, so the original
// module can run without the engine: the baseline for the fuel checks' overhead.
#include <stdint.h>

static uint32_t sieve_flags[1 << 15];
static double a[64][64], b[64][64], c[64][64];

static int sieve(int limit) {
  int count = 0;
  for (int i = 0; i < limit; i++) sieve_flags[i] = 1;
  for (int i = 2; i < limit; i++) {
    if (!sieve_flags[i]) continue;
    count++;
    for (int j = i + i; j < limit; j += i) sieve_flags[j] = 0;
  }
  return count;
}

static double matmul(int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      a[i][j] = (double)(i * j % 7) + 0.5;
      b[i][j] = (double)((i + j) % 5) - 1.0;
    }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  return c[n / 2][n / 3];
}

__attribute__((noinline)) static uint32_t mix(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 16777619u;
  return h ^ (h >> 13);
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((export_name("run"))) uint32_t run(int rounds) {
  uint32_t h = 2166136261u;
  for (int r = 0; r < rounds; r++) {
    h = mix(h, (uint32_t)sieve(30000));
    h = mix(h, (uint32_t)matmul(64));
    for (uint32_t i = 0; i < 20000; i++) h = mix(h, i);
    h = mix(h, fib(20));
  }
  return h;
}
