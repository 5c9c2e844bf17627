/**
 * A SnapshotStore on the local disk: one file per operator and role in one directory.
 *
 * Writes go to a temporary file, are fsync'd, renamed over the old file, and the directory
 * is fsync'd: after a crash or a failed write (a full disk) we hold the old snapshot or the
 * new one, never half of one. Reads verify everything before handing bytes to the decoder.
 * A file just written is opened again at once, off the writer's path, and kept open for the
 * next restore (open-snapshot-cache.ts).
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SnapshotError, SnapshotWriteError } from '../errors.ts';
import { FileBytes } from './file-bytes.ts';
import { openSnapshots } from './open-snapshot-cache.ts';
import { openSnapshot } from './snapshot-file.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';
import { snapshotRoles } from './snapshot-store.ts';
import type { SnapshotRole, SnapshotStore } from './snapshot-store.ts';

/**
 * The file operations the store writes, removes and lists with; tests substitute one that fails
 * like a full disk. Reads go straight to `node:fs` by descriptor (FileBytes).
 */
export interface StoreFileSystem {
  open(path: string, flags: string): Promise<{
    writev(buffers: Uint8Array[]): Promise<{ bytesWritten: number }>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ size: number }>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
}

const writeBatchBytes = 1024 * 1024;
const tmpMarker = '.tmp-';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export class FsSnapshotStore implements SnapshotStore {
  readonly directory: string;
  readonly #fs: StoreFileSystem;

  private constructor(directory: string, fs: StoreFileSystem) {
    this.directory = directory;
    this.#fs = fs;
  }

  /** Creates the directory if needed and removes temporary files a crash left behind. */
  static async open(directory: string, fs: StoreFileSystem = fsp): Promise<FsSnapshotStore> {
    await fs.mkdir(directory, { recursive: true });
    for (const name of await fs.readdir(directory)) {
      if (name.includes(tmpMarker)) await fs.unlink(path.join(directory, name)).catch(() => {});
    }
    return new FsSnapshotStore(directory, fs);
  }

  /** The file holding an operator's snapshot of `role` (the name is URI-encoded, so any operator name is safe). */
  pathOf(operator: string, role: SnapshotRole): string {
    return path.join(this.directory, `${encodeURIComponent(operator)}.${role}.snap`);
  }

  async write(operator: string, role: SnapshotRole, chunks: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }> {
    const finalPath = this.pathOf(operator, role);
    const tmpPath = `${finalPath}${tmpMarker}${randomBytes(6).toString('hex')}`;
    let handle: Awaited<ReturnType<StoreFileSystem['open']>> | undefined;
    let sizeBytes = 0;
    try {
      handle = await this.#fs.open(tmpPath, 'wx');
      const batch: Uint8Array[] = [];
      let batchBytes = 0;
      const flush = async () => {
        while (batch.length > 0) {
          let { bytesWritten } = await handle!.writev(batch);
          // writev may write less than asked; continue from where it stopped.
          while (batch.length > 0 && bytesWritten >= batch[0]!.length) bytesWritten -= batch.shift()!.length;
          if (batch.length > 0 && bytesWritten > 0) batch[0] = batch[0]!.subarray(bytesWritten);
        }
        batchBytes = 0;
      };
      for await (const chunk of chunks) {
        batch.push(chunk);
        batchBytes += chunk.length;
        sizeBytes += chunk.length;
        if (batchBytes >= writeBatchBytes) await flush();
      }
      await flush();
      await handle.sync();
      await handle.close();
      handle = undefined;
      // rename() is atomic: readers see the old snapshot or the new one, never half of one.
      await this.#fs.rename(tmpPath, finalPath);
      // Sync the directory too, or the rename itself can be lost on power failure.
      const dir = await this.#fs.open(this.directory, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      await handle?.close().catch(() => {});
      await this.#fs.unlink(tmpPath).catch(() => {});
      throw new SnapshotWriteError(operator, finalPath, err);
    }
    openSnapshots.add(finalPath);
    return { sizeBytes };
  }

  async open(operator: string, role: SnapshotRole, moduleDigest: string): Promise<OpenedSnapshot | undefined> {
    const file = this.pathOf(operator, role);
    try {
      const kept = await openSnapshots.take(file, moduleDigest);
      if (kept !== undefined) return kept;
      let bytes: FileBytes;
      try {
        bytes = await FileBytes.open(file);
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      return await openSnapshot(bytes, moduleDigest);
    } catch (err) {
      if (err instanceof SnapshotError) throw err.withContext({ operator });
      throw err;
    }
  }

  async remove(operator: string, role?: SnapshotRole): Promise<void> {
    for (const r of role === undefined ? snapshotRoles : [role]) {
      openSnapshots.forget(this.pathOf(operator, r));
      await this.#fs.unlink(this.pathOf(operator, r)).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    }
  }

  async sizeBytes(operator: string): Promise<number> {
    let total = 0;
    for (const role of snapshotRoles) {
      total += await this.#fs.stat(this.pathOf(operator, role)).then((s) => s.size, (err: unknown) => {
        if (isMissing(err)) return 0;
        throw err;
      });
    }
    return total;
  }
}
