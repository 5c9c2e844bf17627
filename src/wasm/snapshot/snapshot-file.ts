/**
 * An open snapshot: its verified layout (header and metadata) and random access to its bytes,
 * so that a restore reads the data straight into guest memory instead of through a copy of
 * the whole file. Stores open them (`openSnapshot`); whoever opened one closes it.
 */
import { SnapshotError } from '../errors.ts';
import { dataChecksum, sameChecksum } from './data-checksum.ts';
import { decodeHeader, fixedHeaderBytes, layoutBytes, parseLayout, trailerBytes } from './snapshot-format.ts';
import type { SnapshotLayout } from './snapshot-format.ts';

/** Random access to one snapshot's bytes (a file, a buffer). */
export interface SnapshotBytes {
  readonly size: number;
  /** Where the bytes are, for messages (a path, `memory:latest`). */
  readonly location: string;
  /** Fills `buffers`, in order, with the bytes from `position` on; SNAPSHOT_TRUNCATED if the bytes end first. */
  read(buffers: Uint8Array[], position: number): Promise<void>;
  /** Synchronous: closing a file opened for reading never waits on the disk. */
  close(): void;
}

export interface OpenedSnapshot extends SnapshotLayout {
  bytes: SnapshotBytes;
}

/** The first read takes this much: header and metadata of most snapshots (a map of a few runs, the hashes of a base image of up to ~2 MiB of data) arrive in one read. */
const firstReadBytes = 16 * 1024;

/**
 * Reads and verifies a snapshot's layout; on failure, closes `bytes` and throws a SnapshotError
 * naming its location. With `expectedDigest` undefined, any module's snapshot is accepted (the
 * caller checks with `checkModuleDigest` before use).
 */
export async function openSnapshot(bytes: SnapshotBytes, expectedDigest: string | undefined): Promise<OpenedSnapshot> {
  try {
    let head = new Uint8Array(Math.min(bytes.size, firstReadBytes));
    const trailer = new Uint8Array(Math.min(bytes.size, trailerBytes));
    await Promise.all([bytes.read([head], 0), bytes.read([trailer], bytes.size - trailer.length)]);
    const needed = head.length < fixedHeaderBytes ? 0 : layoutBytes(decodeHeader(head, bytes.size));
    if (needed > head.length && needed <= bytes.size) {
      head = new Uint8Array(needed);
      await bytes.read([head], 0);
    }
    return { ...parseLayout(head, bytes.size, trailer, expectedDigest), bytes };
  } catch (err) {
    bytes.close();
    if (err instanceof SnapshotError) throw err.withContext({ path: bytes.location });
    throw err;
  }
}

/** Random access to a snapshot held in memory. */
export function bufferBytes(file: Uint8Array, location: string): SnapshotBytes {
  return {
    size: file.length,
    location,
    async read(buffers, position) {
      let at = position;
      for (const buffer of buffers) {
        if (at + buffer.length > file.length) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'ends before its data does');
        buffer.set(file.subarray(at, at + buffer.length));
        at += buffer.length;
      }
    },
    close() {},
  };
}

/**
 * Verifies a whole snapshot held in memory, its data's checksum included (a restore checks
 * that again as it reads: this is for bytes kept for later, like a module's image).
 */
export async function verifySnapshot(file: Uint8Array, expectedDigest: string, location = 'memory'): Promise<OpenedSnapshot> {
  const opened = await openSnapshot(bufferBytes(file, location), expectedDigest);
  const { dataOffset } = opened.header;
  if (!sameChecksum(dataChecksum(file.subarray(dataOffset, dataOffset + opened.dataLength)), opened.dataChecksum)) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'failed its checksum', { path: location });
  }
  return opened;
}
