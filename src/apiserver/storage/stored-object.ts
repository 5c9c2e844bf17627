/**
 * An object as the store holds it, and the change events the store emits.
 *
 * Stored objects are immutable: every write makes a new one, so the watch history, list
 * snapshots and the current state can share them without copying, and each is serialized
 * to JSON at most once however many watchers and lists send it.
 */
import type { JsonObject } from '../json.ts';

export class StoredObject {
  readonly object: JsonObject;
  readonly rv: number;
  #json: string | undefined;

  constructor(object: JsonObject, rv: number, json?: string) {
    this.object = object;
    this.rv = rv;
    this.#json = json;
  }

  /** The object's JSON, computed once. */
  get json(): string {
    this.#json ??= JSON.stringify(this.object);
    return this.#json;
  }
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change. For DELETED, `object` is the last state stamped with the deletion's rv. */
export interface StoreEvent {
  type: ChangeType;
  rv: number;
  /** The collection (see ResourceType.storage). */
  storage: string;
  /** `namespace/name`, with an empty namespace for cluster-scoped objects. */
  key: string;
  object: StoredObject;
  /** The state before this change (absent for ADDED): a watch needs it to tell if the object matched before. */
  prev: StoredObject | undefined;
  /** Wall-clock ms of the change, for age-based compaction. */
  timeMs: number;
}

/** The store key of an object: `namespace/name`. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
