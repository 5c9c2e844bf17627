/**
 * At most `limit` tasks at once; the rest wait their turn in the order they asked.
 *
 * The host puts operator loads behind one (fetching and compiling a module, a cold start):
 * they run on the one JavaScript thread, so starting more of them at once does not start
 * operators sooner, it only holds more of their transient buffers at the same moment. glibc
 * keeps the heap at its high-water mark afterwards, so that peak would stay in the idle host's
 * RSS (measured: 300 operators started at once left the malloc heap at 30 MB; two at a time,
 * 14 MB).
 */
export class ConcurrencyLimit {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a concurrency limit must be a positive integer, not ${limit}`);
    this.#limit = limit;
  }

  /** Runs `task` once fewer than `limit` others run; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.#waiting.shift();
      if (next === undefined) this.#running--;
      else next();
    }
  }
}
