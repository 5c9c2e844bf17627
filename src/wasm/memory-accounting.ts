import type { WasmInstance } from './wasm-instance.ts';

/** What live instances hold, for status and metrics. */
export interface MemoryUsage {
  instances: number;
  /** Linear memory of every live instance, in bytes. */
  residentBytes: number;
  /** The same, per operator. */
  residentBytesByOperator: Map<string, number>;
}

/**
 * Tracks the engine's live instances. An instance leaves when it is dropped (by suspend or
 * by its owner), so suspended operators count zero here: their cost is on disk (see
 * SnapshotStore.sizeBytes).
 */
export class MemoryAccounting {
  readonly #live = new Set<WasmInstance>();

  track(instance: WasmInstance): void {
    this.#live.add(instance);
  }

  untrack(instance: WasmInstance): void {
    this.#live.delete(instance);
  }

  usage(): MemoryUsage {
    const byOperator = new Map<string, number>();
    let residentBytes = 0;
    for (const instance of this.#live) {
      residentBytes += instance.residentBytes;
      byOperator.set(instance.operator, (byOperator.get(instance.operator) ?? 0) + instance.residentBytes);
    }
    return { instances: this.#live.size, residentBytes, residentBytesByOperator: byOperator };
  }
}
