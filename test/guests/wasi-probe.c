// Exercises the WASI shim through a real libc (wasi-libc): args, environment, stdout and
// stderr, clocks, sleep, random, stdin, files (there are none) and exit.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

// A reactor has no main(argc, argv): read the arguments through WASI directly.
__attribute__((export_name("print_args"))) int print_args(void) {
  __wasi_size_t argc, size;
  if (__wasi_args_sizes_get(&argc, &size) != 0) return -1;
  uint8_t **argv = calloc(argc + 1, sizeof(uint8_t *));
  uint8_t *buf = malloc(size);
  if (__wasi_args_get(argv, buf) != 0) return -1;
  for (size_t i = 0; i < argc; i++) printf("arg %zu: %s\n", i, (char *)argv[i]);
  free(argv);
  free(buf);
  return (int)argc;
}

__attribute__((export_name("print_env"))) void print_env(void) {
  const char *greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
}

__attribute__((export_name("partial_line"))) void partial_line(void) {
  printf("no newline yet");
  fflush(stdout);
}

__attribute__((export_name("to_stderr"))) void to_stderr(void) { fprintf(stderr, "something went wrong: %d\n", 42); }

__attribute__((export_name("realtime_s"))) int64_t realtime_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec;
}

__attribute__((export_name("monotonic_ns"))) int64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

__attribute__((export_name("sleep_ms"))) int sleep_ms(int ms) { return usleep((useconds_t)ms * 1000); }

__attribute__((export_name("random_u32"))) uint32_t random_u32(void) {
  uint32_t value = 0;
  if (getentropy(&value, sizeof value) != 0) return 0;
  return value;
}

__attribute__((export_name("open_errno"))) int open_errno(void) {
  int fd = open("/etc/passwd", O_RDONLY);
  return fd >= 0 ? 0 : errno;
}

__attribute__((export_name("read_stdin"))) int read_stdin(void) {
  char buf[16];
  return (int)read(0, buf, sizeof buf);
}

__attribute__((export_name("exit_with"))) void exit_with(int code) {
  printf("bye\n");
  exit(code);
}
