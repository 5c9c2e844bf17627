/**
 * Reads raw stored chunks straight from the snapshot into guest memory: no copy of the file,
 * no decompression. Reads go out in groups (one vectored read per run of the file that holds
 * wanted chunks, cut at `groupBytes`), several at once, so page faults in the thread pool
 * overlap with checksumming on the main thread.
 *
 * Verification: when every stored chunk is read, their checksum must match the trailer's; when
 * only some are (the base image's chunks a delta refers to), each must match its sha256 in
 * the base image's verified metadata.
 */
import { SnapshotError } from '../errors.ts';
import { chunkHash } from './chunk-plan.ts';
import { DataChecksum, sameChecksum } from './data-checksum.ts';
import { chunkSize, hashBytes } from './snapshot-format.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';

/**
 * Small enough that a 1 MiB snapshot is two reads, faulting their pages in on both cores at
 * once (0.75 ms instead of 1.1 ms for the restore); 64 MiB measured the same at 512 KiB and 1 MiB.
 */
const groupBytes = 512 * 1024;
/** Below the thread pool's four threads, leaving one for other work. */
const readsInFlight = 3;
/** Buffers per vectored read (IOV_MAX on Linux is 1024). */
const maxBuffers = 1024;

interface ReadGroup {
  position: number;
  /** The first stored chunk in the group, and how many follow it. */
  first: number;
  count: number;
  buffers: Uint8Array[];
}

function groupsOf(snapshot: OpenedSnapshot, targets: Int32Array, memory: Uint8Array): ReadGroup[] {
  const groups: ReadGroup[] = [];
  const maxChunks = groupBytes / chunkSize;
  for (let k = 0; k < targets.length;) {
    if (targets[k]! < 0) {
      k++;
      continue;
    }
    const group: ReadGroup = { position: snapshot.header.dataOffset + k * chunkSize, first: k, count: 0, buffers: [] };
    let runStart = targets[k]!;
    let runEnd = runStart;
    for (; k < targets.length && targets[k]! >= 0 && group.count < maxChunks; k++, group.count++) {
      const target = targets[k]!;
      if (target !== runEnd) {
        if (group.buffers.length === maxBuffers - 1) break;
        group.buffers.push(memory.subarray(runStart * chunkSize, runEnd * chunkSize));
        runStart = target;
      }
      runEnd = target + 1;
    }
    group.buffers.push(memory.subarray(runStart * chunkSize, runEnd * chunkSize));
    groups.push(group);
  }
  return groups;
}

export async function readRawChunks(snapshot: OpenedSnapshot, targets: Int32Array, memory: Uint8Array): Promise<void> {
  const everyChunk = targets.every((t) => t >= 0);
  if (!everyChunk && snapshot.hashes === undefined) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has no chunk hashes to verify single chunks with');
  const groups = groupsOf(snapshot, targets, memory);
  const reads: Promise<void>[] = [];
  const start = (g: number) => {
    const read = snapshot.bytes.read(groups[g]!.buffers, groups[g]!.position);
    read.catch(() => {}); // awaited in order below; a failure must not go unhandled meanwhile
    reads.push(read);
  };
  const checksum = new DataChecksum();
  try {
    for (let g = 0; g < groups.length; g++) {
      while (reads.length < groups.length && reads.length < g + readsInFlight) start(reads.length);
      await reads[g];
      const group = groups[g]!;
      if (everyChunk) {
        for (const buffer of group.buffers) checksum.update(buffer);
      } else {
        checkHashes(snapshot.hashes!, targets, group, memory);
      }
    }
  } catch (err) {
    // No read may still be writing into this memory when the caller drops it, or read a closed file.
    await Promise.allSettled(reads);
    throw err;
  }
  if (everyChunk && !sameChecksum(checksum.digest(), snapshot.dataChecksum)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'failed its checksum');
}

/** Only a base image's chunks are read one by one, and a base image stores every non-zero chunk: stored chunk k has hash k. */
function checkHashes(hashes: Uint8Array, targets: Int32Array, group: ReadGroup, memory: Uint8Array): void {
  for (let k = group.first; k < group.first + group.count; k++) {
    const at = targets[k]! * chunkSize;
    const digest = chunkHash(memory.subarray(at, at + chunkSize));
    if (Buffer.compare(digest, hashes.subarray(k * hashBytes, (k + 1) * hashBytes)) !== 0) {
      throw new SnapshotError('SNAPSHOT_CORRUPT', `holds chunk ${targets[k]} with another hash than its metadata says`);
    }
  }
}
