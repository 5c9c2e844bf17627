/**
 * Durable storage in node:sqlite (DESIGN.md decision 8): WAL journal with synchronous=FULL,
 * so a COMMIT has reached the disk when it returns. Two tables: the current objects, and the
 * change history that watches resume from (with each change's previous state, which a
 * filtered watch needs). A third holds the compacted revision.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { WasmOperatorError } from '../../errors.ts';
import type { JsonObject } from '../json.ts';
import type { PersistedState, Persistence } from './persistence.ts';
import { StoredObject, type ChangeType, type StoreEvent } from './stored-object.ts';

/** The data directory cannot be opened or read: the server does not start. */
export class DataDirError extends WasmOperatorError {
  constructor(dataDir: string, cause: unknown) {
    const why = cause instanceof Error && /locked/i.test(cause.message) ? ' (another server is using it)' : '';
    super('APISERVER_DATA_DIR', `cannot open the API server's data directory ${dataDir}${why}; the server does not start`, { dataDir }, { cause });
  }
}

const schema = `
CREATE TABLE IF NOT EXISTS objects (storage TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (storage, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (rv INTEGER PRIMARY KEY, type TEXT NOT NULL, storage TEXT NOT NULL, key TEXT NOT NULL,
  json TEXT NOT NULL, prev TEXT, time_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export class SqlitePersistence implements Persistence {
  readonly durable = true;
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #remove: StatementSync;
  readonly #insertEvent: StatementSync;
  readonly #setMeta: StatementSync;

  constructor(dataDir: string) {
    try {
      mkdirSync(dataDir, { recursive: true });
      this.#db = new DatabaseSync(path.join(dataDir, 'apiserver.sqlite'), { timeout: 0 });
      // Exclusive: a second server on the same directory would hand out the same resourceVersions.
      // The lock is taken by the first write, done here so that the second server fails at once.
      this.#db.exec('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;');
      this.#db.exec(schema);
      this.#db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (err) {
      throw new DataDirError(dataDir, err);
    }
    this.#upsert = this.#db.prepare('INSERT OR REPLACE INTO objects (storage, key, json) VALUES (?, ?, ?)');
    this.#remove = this.#db.prepare('DELETE FROM objects WHERE storage = ? AND key = ?');
    this.#insertEvent = this.#db.prepare('INSERT INTO events (rv, type, storage, key, json, prev, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#setMeta = this.#db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
  }

  load(): PersistedState {
    const db = this.#db;
    const meta = new Map(db.prepare('SELECT name, value FROM meta').all().map((r) => [r.name as string, Number(r.value)]));
    const maxEvent = db.prepare('SELECT MAX(rv) AS rv FROM events').get();
    const rv = Math.max(Number(maxEvent?.rv ?? 0), meta.get('rv') ?? 0);
    const events = db.prepare('SELECT rv, type, storage, key, json, prev, time_ms FROM events ORDER BY rv').all().map((r): StoreEvent => {
      const eventRv = Number(r.rv);
      const prev = typeof r.prev === 'string' ? stored(r.prev) : undefined;
      return {
        type: r.type as ChangeType,
        rv: eventRv,
        storage: r.storage as string,
        key: r.key as string,
        object: stored(r.json as string),
        prev,
        timeMs: Number(r.time_ms),
      };
    });
    const objects = db.prepare('SELECT storage, key, json FROM objects').iterate();
    return {
      objects: (function* () {
        for (const r of objects) yield [r.storage as string, r.key as string, r.json as string] as [string, string, string];
      })(),
      events,
      rv,
      compactedRv: meta.get('compactedRv') ?? 0,
    };
  }

  commit(events: readonly StoreEvent[]): void {
    const db = this.#db;
    db.exec('BEGIN');
    try {
      for (const e of events) {
        if (e.type === 'DELETED') this.#remove.run(e.storage, e.key);
        else this.#upsert.run(e.storage, e.key, e.object.json);
        this.#insertEvent.run(e.rv, e.type, e.storage, e.key, e.object.json, e.type === 'MODIFIED' ? e.prev!.json : null, e.timeMs);
      }
      // The rv survives even when compaction has forgotten the events that carried it.
      this.#setMeta.run('rv', events[events.length - 1]!.rv);
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  compact(rv: number): void {
    const db = this.#db;
    db.exec('BEGIN');
    try {
      db.prepare('DELETE FROM events WHERE rv <= ?').run(rv);
      this.#setMeta.run('compactedRv', rv);
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function stored(json: string): StoredObject {
  const object = JSON.parse(json) as JsonObject;
  const rv = Number((object.metadata as JsonObject | undefined)?.resourceVersion ?? 0);
  return new StoredObject(object, rv, json);
}
