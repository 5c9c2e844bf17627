/**
 * Snapshot files kept open, their layout verified, after they are written: the next restore of
 * the operator skips opening the file and reading its layout, two of the three round trips to
 * the thread pool a restore otherwise waits for (the data read is the third). Opening happens
 * after the write, off the suspend's path.
 *
 * Never stale: an entry is used only while an fstat of its descriptor shows the file still
 * linked, the same size and the same ctime, so a file replaced, removed or written in place
 * by anyone else is opened afresh (and verified) as before. Bounded, process-wide (all stores
 * share it): at most `maxFiles` descriptors and `maxLayoutBytes` of verified layouts (chunk
 * maps and base images' hashes), least recently used first out.
 */
import { SnapshotError } from '../errors.ts';
import { FileBytes } from './file-bytes.ts';
import { openSnapshot } from './snapshot-file.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';
import { checkModuleDigest } from './snapshot-format.ts';
import type { SnapshotLayout } from './snapshot-format.ts';

interface Entry {
  /** Settles once the file is open and its layout verified; undefined when that failed (a fresh open reports why). */
  ready: Promise<{ file: FileBytes; layout: SnapshotLayout } | undefined>;
  layoutBytes: number;
}

export class OpenSnapshotCache {
  readonly maxFiles: number;
  readonly maxLayoutBytes: number;
  /** By path, least recently used first. */
  readonly #entries = new Map<string, Entry>();
  #layoutBytes = 0;

  constructor(limits: { maxFiles: number; maxLayoutBytes: number }) {
    this.maxFiles = limits.maxFiles;
    this.maxLayoutBytes = limits.maxLayoutBytes;
  }

  /** How many files are held open now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Opens the snapshot just written at `path` in the background, replacing what was held for that path. */
  add(path: string): void {
    this.forget(path);
    const entry: Entry = { ready: Promise.resolve(undefined), layoutBytes: 0 };
    entry.ready = FileBytes.open(path).then(async (file) => {
      const layout: SnapshotLayout | undefined = await openSnapshot(file, undefined).catch(() => undefined); // closes the file on failure
      if (layout === undefined) return undefined;
      if (this.#entries.get(path) !== entry) {
        // Replaced or forgotten while it opened: forget() found nothing to close yet.
        file.close();
        return undefined;
      }
      entry.layoutBytes = layout.kinds.length + (layout.hashes?.length ?? 0);
      this.#layoutBytes += entry.layoutBytes;
      this.#evict(path);
      return { file, layout };
    }, () => undefined);
    this.#entries.set(path, entry);
    this.#evict(path);
  }

  /**
   * The snapshot at `path`, shared with the cache (the caller closes its share), when one is
   * held and the file is unchanged; undefined otherwise. Throws SNAPSHOT_WRONG_MODULE, as a
   * fresh open would, when it was taken from another module than `expectedDigest`.
   */
  async take(path: string, expectedDigest: string): Promise<OpenedSnapshot | undefined> {
    const entry = this.#entries.get(path);
    const held = await entry?.ready;
    if (entry === undefined || held === undefined || this.#entries.get(path) !== entry) return undefined;
    if (!held.file.unchanged()) {
      this.forget(path);
      return undefined;
    }
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    try {
      checkModuleDigest(held.layout.header, expectedDigest);
    } catch (err) {
      throw err instanceof SnapshotError ? err.withContext({ path }) : err;
    }
    return { ...held.layout, bytes: held.file.share() };
  }

  /** Closes what is held for `path` (a restore reading it keeps its share until it closes it). */
  forget(path: string): void {
    const entry = this.#entries.get(path);
    if (entry === undefined) return;
    this.#entries.delete(path);
    this.#layoutBytes -= entry.layoutBytes;
    void entry.ready.then((held) => held?.file.close());
  }

  /** Drops the least recently used entries, never `keep`, until within the limits (`keep` too, when it alone is over them). */
  #evict(keep: string): void {
    for (const path of this.#entries.keys()) {
      if (this.#entries.size <= this.maxFiles && this.#layoutBytes <= this.maxLayoutBytes) return;
      if (path !== keep) this.forget(path);
    }
    if (this.#layoutBytes > this.maxLayoutBytes) this.forget(keep);
  }
}

/** The process's cache: 64 descriptors stay far below the usual limit of 1,024; 1 MiB of layouts holds the maps of thousands of small operators. */
export const openSnapshots = new OpenSnapshotCache({ maxFiles: 64, maxLayoutBytes: 1024 * 1024 });
