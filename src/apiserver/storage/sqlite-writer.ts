/**
 * The thread that owns the SQLite connection of the durable store. It opens and loads the
 * database, then commits batches of changes and compactions in the order they are posted.
 * A commit's fsync happens here, so the server's event loop keeps taking requests meanwhile,
 * and what arrives during one commit goes into the next (group commit).
 *
 * Protocol with the parent: this thread answers `{kind: 'loaded', ...}` (or
 * `{kind: 'loaded', error}`, then exits) once; then the parent posts
 * `{kind: 'commit', id, rows, rv}`, answered by `{kind: 'committed', id, error?}`,
 * `{kind: 'compact', rv}` (no answer), and `{kind: 'close'}`, after which the thread exits.
 *
 * `writerMain` runs in a worker from its own source text (`new Worker(source, {eval: true})`),
 * which also works from the bundled CLI where no separate worker file exists. So it uses
 * nothing from this module's scope: only its parameter and Node's built-ins (the type imports
 * below are erased).
 */
import type { DatabaseSync } from 'node:sqlite';
import type * as WorkerThreads from 'node:worker_threads';

/** One change as the writer stores it: [rv, type, storage, key, json, prevJson, timeMs]. */
export type ChangeRow = [rv: number, type: string, storage: string, key: string, json: string, prev: string | null, timeMs: number];

/** The worker's `workerData`. */
export interface WriterData {
  file: string;
  schema: string;
}

/** The database as loaded, or why it could not be. */
export type Loaded =
  | { kind: 'loaded'; error: string }
  | { kind: 'loaded'; error?: undefined; meta: [string, number][]; maxEvent: number; events: ChangeRow[]; objects: [string, string, string][] };

export type WriterRequest = { kind: 'commit'; id: number; rows: ChangeRow[]; rv: number } | { kind: 'compact'; rv: number } | { kind: 'close' };

export type WriterAnswer = Loaded | { kind: 'committed'; id: number; error?: string };

export function writerMain(threads: typeof WorkerThreads): void {
  const sqlite = process.getBuiltinModule('node:sqlite');
  const port = threads.parentPort!;
  const { file, schema } = threads.workerData as WriterData;
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const answer = (a: WriterAnswer): void => port.postMessage(a);
  let db: DatabaseSync | undefined;
  try {
    db = new sqlite.DatabaseSync(file, { timeout: 0 });
    // Exclusive: a second server on the same directory would hand out the same resourceVersions.
    // The lock is taken by the first write, done here so that the second server fails at once.
    db.exec('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;');
    db.exec(schema);
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    const meta = db.prepare('SELECT name, value FROM meta').all().map((r): [string, number] => [String(r.name), Number(r.value)]);
    const maxEvent = Number(db.prepare('SELECT MAX(rv) AS rv FROM events').get()?.rv ?? 0);
    const events = db.prepare('SELECT rv, type, storage, key, json, prev, time_ms FROM events ORDER BY rv').all()
      .map((r): ChangeRow => [Number(r.rv), String(r.type), String(r.storage), String(r.key), String(r.json), typeof r.prev === 'string' ? r.prev : null, Number(r.time_ms)]);
    const objects = db.prepare('SELECT storage, key, json FROM objects').all().map((r): [string, string, string] => [String(r.storage), String(r.key), String(r.json)]);
    answer({ kind: 'loaded', meta, maxEvent, events, objects });
  } catch (err) {
    if (db?.isOpen) db.close();
    answer({ kind: 'loaded', error: message(err) });
    return; // nothing listens on the port: the thread ends
  }

  const opened = db;
  const upsert = opened.prepare('INSERT OR REPLACE INTO objects (storage, key, json) VALUES (?, ?, ?)');
  const remove = opened.prepare('DELETE FROM objects WHERE storage = ? AND key = ?');
  const insertEvent = opened.prepare('INSERT INTO events (rv, type, storage, key, json, prev, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const setMeta = opened.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
  const deleteEvents = opened.prepare('DELETE FROM events WHERE rv <= ?');
  const transaction = (work: () => void): string | undefined => {
    opened.exec('BEGIN');
    try {
      work();
      opened.exec('COMMIT');
      return undefined;
    } catch (err) {
      if (opened.isTransaction) opened.exec('ROLLBACK');
      return message(err);
    }
  };
  port.on('message', (request: WriterRequest) => {
    switch (request.kind) {
      case 'commit': {
        const error = transaction(() => {
          for (const [rv, type, storage, key, json, prev, timeMs] of request.rows) {
            if (type === 'DELETED') remove.run(storage, key);
            else upsert.run(storage, key, json);
            insertEvent.run(rv, type, storage, key, json, prev, timeMs);
          }
          // The rv survives even when compaction has forgotten the events that carried it.
          setMeta.run('rv', request.rv);
        });
        answer({ kind: 'committed', id: request.id, error });
        return;
      }
      case 'compact':
        // A compaction that fails only leaves more history on disk than in memory: the next
        // start reloads it, and the next compaction forgets it.
        transaction(() => {
          deleteEvents.run(request.rv);
          setMeta.run('compactedRv', request.rv);
        });
        return;
      case 'close':
        opened.close();
        port.close();
        return;
    }
  });
}
