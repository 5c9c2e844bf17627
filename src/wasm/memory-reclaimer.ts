/**
 * Returns the memory of dropped instances to the OS promptly.
 *
 * A wasm memory is freed only when V8 collects its JavaScript objects, and an idle host
 * allocates too little to trigger a collection: measured here, 400 MB of dropped memories
 * were still resident ten seconds later. So after instances are dropped the reclaimer runs
 * one full collection, debounced (one collection for a burst of suspends, at most one per
 * `delayMs`). It exposes V8's `gc` for itself through a runtime flag (the same function
 * `node --expose-gc` gives), instead of asking every user to start Node with that flag.
 * The host turns the reclaimer off and runs `collectGarbage` from its IdleCollector instead,
 * which also collects what wakes leave behind.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

let fullGc: GcFunction | undefined;

/**
 * Runs V8's most thorough collection synchronously, the one it runs before giving up on an
 * allocation: several full collections that also release pooled pages and shrink the young
 * generation, so the memory goes back to the operating system, not only back to V8. A few ms
 * for a small heap, tens of ms for a host's. Uses `gc` when the process was started with
 * `--expose-gc`, else turns the flag on and takes `gc` from a fresh context (about 2 MB, once).
 */
export function collectGarbage(): void {
  if (fullGc === undefined) {
    const exposed = (globalThis as { gc?: GcFunction }).gc;
    if (exposed !== undefined) fullGc = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      fullGc = vm.runInNewContext('gc') as GcFunction;
    }
  }
  fullGc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export interface ReclaimerOptions {
  /** How long after the last drop to collect (default 100 ms), so a burst of suspends costs one collection. */
  delayMs?: number;
  /** The collection itself (tests substitute a counter). */
  collect?: () => void;
}

export class MemoryReclaimer {
  readonly #delayMs: number;
  readonly #collect: () => void;
  #timer: NodeJS.Timeout | undefined;
  #pendingBytes = 0;
  #waiters: (() => void)[] = [];

  constructor(options: ReclaimerOptions = {}) {
    this.#delayMs = options.delayMs ?? 100;
    this.#collect = options.collect ?? collectGarbage;
  }

  /** Bytes dropped but not yet collected. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Notes that an instance holding `bytes` of memory was dropped, and schedules a collection. */
  dropped(bytes: number): void {
    if (bytes <= 0) return;
    this.#pendingBytes += bytes;
    const waited = this.#waiters.length > 0;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), this.#delayMs);
    if (!waited) this.#timer.unref(); // nobody waits: never keep the process alive for it
  }

  /** Resolves once no collection is pending (at once if none is). */
  settled(): Promise<void> {
    if (this.#timer === undefined) return Promise.resolve();
    this.#timer.ref(); // someone waits for it now: keep the process alive until it runs
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #run(): void {
    this.#timer = undefined;
    this.#pendingBytes = 0;
    this.#collect();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
