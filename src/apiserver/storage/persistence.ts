/**
 * Where the store makes its changes durable. `commit` returns only once the changes would
 * survive a crash; the store acknowledges no write and emits no watch event before that.
 */
import type { StoreEvent } from './stored-object.ts';

/** What a restarted server starts from. */
export interface PersistedState {
  /** Current objects as [storage, key, json]. */
  objects: Iterable<[storage: string, key: string, json: string]>;
  /** The retained history, oldest first. */
  events: StoreEvent[];
  /** The highest resourceVersion ever handed out. */
  rv: number;
  compactedRv: number;
}

export interface Persistence {
  /** True when commits are durable (worth batching); false for the in-memory store. */
  readonly durable: boolean;
  load(): PersistedState;
  /**
   * Writes the events (and the objects they leave behind) in one transaction; throws or
   * rejects on failure. A promise resolves once the transaction is durable; commits complete
   * in the order they were made.
   */
  commit(events: readonly StoreEvent[]): void | Promise<void>;
  /** Forgets history up to and including `rv`. */
  compact(rv: number): void;
  /** Releases the storage once every commit made has been answered. */
  close(): void | Promise<void>;
}

/** Keeps nothing: `--in-memory`. */
export const memoryPersistence: Persistence = {
  durable: false,
  load: () => ({ objects: [], events: [], rv: 0, compactedRv: 0 }),
  commit: () => {},
  compact: () => {},
  close: () => {},
};
