/**
 * Samples the summed PSS of a variant's process tree every `intervalMs` (100 ms), on its own
 * schedule, until stopped. Reads are asynchronous and one at a time, so the driver's event
 * loop (which times the ring) never waits on them.
 *
 * smaps_rollup costs a few milliseconds per Node process (the kernel walks every mapping), so
 * a pass over 100 processes takes longer than 100 ms: a pass then starts as soon as the last
 * one ended, and the achieved interval is reported rather than hidden.
 */
import { performance } from 'node:perf_hooks';
import { processTree, readPssBytes } from './process-metrics.ts';

export interface PssSample {
  /** performance.now() when the pass started. */
  atMs: number;
  totalBytes: number;
  processes: number;
}

export class MemorySampler {
  readonly samples: PssSample[] = [];
  readonly #roots: () => readonly number[];
  readonly #intervalMs: number;
  readonly #treeRefreshMs: number;
  #tree: number[] = [];
  #treeAtMs = Number.NEGATIVE_INFINITY;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  /** `roots`: the variant's own processes; their descendants are found every `treeRefreshMs`. */
  constructor(roots: () => readonly number[], intervalMs = 100, treeRefreshMs = 1_000) {
    this.#roots = roots;
    this.#intervalMs = intervalMs;
    this.#treeRefreshMs = treeRefreshMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** The samples whose pass started in [fromMs, toMs). */
  between(fromMs: number, toMs: number): PssSample[] {
    return this.samples.filter((s) => s.atMs >= fromMs && s.atMs < toMs);
  }

  /** Median time between pass starts: the interval actually achieved. */
  achievedIntervalMs(): number {
    const gaps = this.samples.slice(1).map((s, i) => s.atMs - this.samples[i]!.atMs).sort((a, b) => a - b);
    return gaps.length === 0 ? Number.NaN : gaps[Math.floor(gaps.length / 2)]!;
  }

  /** One pass now, outside the schedule (e.g. a guard that must see the current total). */
  async sampleOnce(): Promise<PssSample> {
    const atMs = performance.now();
    if (atMs - this.#treeAtMs >= this.#treeRefreshMs) {
      this.#tree = await processTree(this.#roots());
      this.#treeAtMs = atMs;
    }
    let totalBytes = 0;
    let processes = 0;
    for (const pid of this.#tree) {
      const pss = await readPssBytes(pid);
      if (pss === undefined) continue;
      totalBytes += pss;
      processes++;
    }
    return { atMs, totalBytes, processes };
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const sample = await this.sampleOnce();
      if (sample.processes > 0) this.samples.push(sample);
      const waitMs = sample.atMs + this.#intervalMs - performance.now();
      if (waitMs > 0 && this.#running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
