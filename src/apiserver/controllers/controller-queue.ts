/**
 * The work queue of the built-in controllers: keys, deduplicated, processed one at a time off
 * the store's listener callback (which must not write), retried after a delay on failure.
 * Level-triggered: a handler reads the current state for its key, never the event.
 */
export class ControllerQueue {
  readonly #handle: (key: string) => Promise<void>;
  readonly #onError: (key: string, err: unknown) => void;
  readonly #retryDelayMs: number;
  readonly #queued = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #running = false;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(handle: (key: string) => Promise<void>, onError: (key: string, err: unknown) => void, retryDelayMs = 200) {
    this.#handle = handle;
    this.#onError = onError;
    this.#retryDelayMs = retryDelayMs;
  }

  add(key: string): void {
    if (this.#stopped || this.#queued.has(key)) return;
    this.#queued.add(key);
    if (!this.#running) {
      this.#running = true;
      setImmediate(() => void this.#drain());
    }
  }

  /** Adds the key again after the retry delay. */
  retryLater(key: string): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.add(key);
    }, this.#retryDelayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Resolves when nothing is queued or running (tests and shutdown use it). */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stop(): void {
    this.#stopped = true;
    this.#queued.clear();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #drain(): Promise<void> {
    while (this.#queued.size > 0 && !this.#stopped) {
      const key = this.#queued.values().next().value as string;
      this.#queued.delete(key);
      try {
        await this.#handle(key);
      } catch (err) {
        this.#onError(key, err);
        this.retryLater(key);
      }
    }
    this.#running = false;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
