/**
 * A snapshot file read by descriptor, with the callback API: a promise FileHandle costs about
 * 60% more per read, and a restore is a handful of reads.
 *
 * A file may have several holders (the cache of recently written snapshots, and restores
 * reading it): each holder closes once, and the descriptor is closed with the last, so a
 * read never meets a closed (or, worse, reused) descriptor.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';
import { SnapshotError } from '../errors.ts';
import type { SnapshotBytes } from './snapshot-file.ts';

const openFile = promisify(fs.open);

function readv(fd: number, buffers: Uint8Array[], position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.readv(fd, buffers, position, (err, bytesRead) => (err === null ? resolve(bytesRead) : reject(err))));
}

/**
 * What changes when a file is replaced, removed, or written in place: ctime moves on every
 * write (at nanosecond resolution once it was looked at, on Linux 6.13 and later; on older
 * kernels a write in the same clock tick can go unseen, and is then caught by the data's
 * checksum, never restored).
 */
function identityOf(stat: fs.BigIntStats): string {
  return `${stat.ino}:${stat.nlink > 0n}:${stat.size}:${stat.ctimeNs}`;
}

export class FileBytes implements SnapshotBytes {
  readonly #fd: number;
  readonly size: number;
  readonly location: string;
  readonly #identity: string;
  #holders = 1;
  #firstClosed = false;

  private constructor(fd: number, location: string) {
    this.#fd = fd;
    this.location = location;
    const stat = fs.fstatSync(fd, { bigint: true });
    this.#identity = identityOf(stat);
    this.size = Number(stat.size);
  }

  /** Opens `path` for reading; the caller is its first holder. Rejects with the open's error (ENOENT when there is no file). */
  static async open(path: string): Promise<FileBytes> {
    return new FileBytes(await openFile(path, 'r'), path);
  }

  /** True while the path this was opened from still names this file, unchanged (an fstat: no disk access). */
  unchanged(): boolean {
    return this.#holders > 0 && identityOf(fs.fstatSync(this.#fd, { bigint: true })) === this.#identity;
  }

  /** Another holder of the same descriptor, which closes its own hold. */
  share(): SnapshotBytes {
    this.#holders++;
    let closed = false;
    return {
      size: this.size,
      location: this.location,
      read: (buffers, position) => this.read(buffers, position),
      close: () => {
        if (closed) return;
        closed = true;
        this.#release();
      },
    };
  }

  async read(buffers: Uint8Array[], position: number): Promise<void> {
    const pending = buffers.filter((b) => b.length > 0);
    let at = position;
    while (pending.length > 0) {
      // readv may read less than asked (a signal, the file's end): continue from where it stopped.
      let got = await readv(this.#fd, pending, at);
      if (got === 0) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'ends before its data does');
      at += got;
      while (pending.length > 0 && got >= pending[0]!.length) got -= pending.shift()!.length;
      if (got > 0) pending[0] = pending[0]!.subarray(got);
    }
  }

  /** Ends the first holder's hold (synchronous: closing a file opened for reading never waits on the disk). */
  close(): void {
    if (this.#firstClosed) return;
    this.#firstClosed = true;
    this.#release();
  }

  #release(): void {
    this.#holders--;
    if (this.#holders === 0) fs.closeSync(this.#fd);
  }
}
