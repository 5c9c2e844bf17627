/**
 * Durable storage in node:sqlite (DESIGN.md decision 8): WAL journal with synchronous=FULL,
 * so a COMMIT has reached the disk when it returns. Two tables: the current objects, and the
 * change history that watches resume from (with each change's previous state, which a
 * filtered watch needs). A third holds the compacted revision.
 *
 * The connection lives in a worker thread (sqlite-writer.ts): commits, and their fsync, run
 * there while the event loop goes on taking requests. `open` resolves once the worker has
 * loaded the database, so the server starts from a loaded store; `close` resolves once every
 * commit is answered and the worker has ended. The worker keeps the process alive only while
 * a commit or the closing is in flight.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WasmOperatorError } from '../../errors.ts';
import type { JsonObject } from '../json.ts';
import type { PersistedState, Persistence } from './persistence.ts';
import { writerMain, type Loaded, type WriterAnswer, type WriterData, type WriterRequest } from './sqlite-writer.ts';
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

/** A commit the writer thread failed, or could not take (closed, or the thread died). */
export class CommitError extends WasmOperatorError {
  constructor(message: string) {
    super('APISERVER_COMMIT', `the API server could not commit a write to its data directory: ${message}`, {});
  }
}

type Opened = Extract<Loaded, { error?: undefined }>;

// getBuiltinModule rather than require: the worker inherits execArgv, which may make it an ES module.
const writerSource = `(${writerMain.toString()})(process.getBuiltinModule('node:worker_threads'))`;

// Starts the writer thread and waits for it to load the database; rejects with why it could not.
async function startWriter(file: string): Promise<{ worker: Worker; loaded: Opened }> {
  const workerData: WriterData = { file, schema };
  const worker = new Worker(writerSource, { eval: true, workerData });
  let onMessage: (loaded: Loaded) => void = () => {};
  let onError: (err: Error) => void = () => {};
  let onExit: (code: number) => void = () => {};
  try {
    const loaded = await new Promise<Loaded>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`the writer thread exited (code ${code}) before loading the database`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    if (loaded.error !== undefined) throw new Error(loaded.error);
    return { worker, loaded };
  } catch (err) {
    await worker.terminate();
    throw err;
  } finally {
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
}

export class SqlitePersistence implements Persistence {
  readonly durable = true;
  readonly #worker: Worker;
  readonly #loaded: Opened;
  readonly #commits = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  /** Set once the store is closing or the writer thread has died: commits are refused. */
  #stopped: CommitError | undefined;

  /** Opens (creating if needed) the database in `dataDir`; rejects with a DataDirError. */
  static async open(dataDir: string): Promise<SqlitePersistence> {
    try {
      mkdirSync(dataDir, { recursive: true });
      const { worker, loaded } = await startWriter(path.join(dataDir, 'apiserver.sqlite'));
      return new SqlitePersistence(worker, loaded);
    } catch (err) {
      throw new DataDirError(dataDir, err);
    }
  }

  private constructor(worker: Worker, loaded: Opened) {
    this.#worker = worker;
    this.#loaded = loaded;
    worker.on('message', (answer: WriterAnswer) => this.#answered(answer));
    worker.on('error', (err: Error) => this.#stop(`the writer thread failed: ${err.message}`));
    this.#exited = new Promise((resolve) => worker.once('exit', (code) => {
      this.#stop(`the writer thread has ended (exit code ${code})`);
      for (const waiter of this.#commits.values()) waiter.reject(this.#stopped);
      this.#commits.clear();
      resolve();
    }));
    worker.unref();
  }

  load(): PersistedState {
    const { meta, maxEvent, events, objects } = this.#loaded;
    const metaMap = new Map(meta);
    return {
      objects,
      events: events.map(([rv, type, storage, key, json, prev, timeMs]): StoreEvent => ({
        type: type as ChangeType, rv, storage, key, object: stored(json), prev: prev === null ? undefined : stored(prev), timeMs,
      })),
      rv: Math.max(maxEvent, metaMap.get('rv') ?? 0),
      compactedRv: metaMap.get('compactedRv') ?? 0,
    };
  }

  commit(events: readonly StoreEvent[]): Promise<void> {
    if (this.#stopped !== undefined) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#commits.size === 0) this.#worker.ref();
      this.#commits.set(id, { resolve, reject });
      this.#post({
        kind: 'commit', id, rv: events[events.length - 1]!.rv,
        rows: events.map((e) => [e.rv, e.type, e.storage, e.key, e.object.json, e.type === 'MODIFIED' ? e.prev!.json : null, e.timeMs]),
      });
    });
  }

  compact(rv: number): void {
    if (this.#stopped === undefined) this.#post({ kind: 'compact', rv });
  }

  /** Resolves once every commit made is answered and the writer thread has closed the database. */
  async close(): Promise<void> {
    if (this.#stopped === undefined) {
      this.#stop('the store is closed');
      this.#worker.ref(); // the database is closed cleanly even if nothing else keeps the process up
      this.#post({ kind: 'close' });
    }
    await this.#exited;
  }

  #post(request: WriterRequest): void {
    this.#worker.postMessage(request);
  }

  #answered(answer: WriterAnswer): void {
    if (answer.kind !== 'committed') return;
    const waiter = this.#commits.get(answer.id);
    this.#commits.delete(answer.id);
    if (this.#commits.size === 0 && this.#stopped === undefined) this.#worker.unref();
    if (answer.error === undefined) waiter?.resolve();
    else waiter?.reject(new CommitError(answer.error));
  }

  // Refuses new commits from now on; the first reason given stays.
  #stop(why: string): void {
    this.#stopped ??= new CommitError(why);
  }
}

function stored(json: string): StoredObject {
  const object = JSON.parse(json) as JsonObject;
  const rv = Number((object.metadata as JsonObject | undefined)?.resourceVersion ?? 0);
  return new StoredObject(object, rv, json);
}
