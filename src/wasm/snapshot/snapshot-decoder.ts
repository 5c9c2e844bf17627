/**
 * Decodes an opened snapshot into a fresh instance's memory: chunks of kind `data` come from
 * the snapshot's data, chunks of kind `base` from the base image, and zero chunks are left
 * alone (the caller hands over memory that is zero wherever the snapshot has zero chunks).
 *
 * Nothing read is trusted before it is verified, but it is written to the fresh memory first:
 * a snapshot that fails a check throws, and the caller drops the instance it was restoring.
 */
import { SnapshotError } from '../errors.ts';
import { baseImageFrom } from './chunk-plan.ts';
import type { BaseImage } from './chunk-plan.ts';
import { chunkKind } from './snapshot-format.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';
import { readRawChunks } from './raw-chunk-reader.ts';
import { readZstdChunks } from './zstd-chunk-reader.ts';

/** Where the decoder writes: memory grown to `pages` and zero wherever the fresh instance wrote data segments. */
export interface RestoreTarget {
  prepare(pages: number): Uint8Array;
}

/**
 * Restores `snapshot` (and, for a delta, its `base`) into `target`. Returns the base image
 * that later snapshots of this instance may be deltas against, when the chain has one.
 */
export async function decodeSnapshot(snapshot: OpenedSnapshot, target: RestoreTarget, base?: OpenedSnapshot): Promise<{ baseImage: BaseImage | undefined }> {
  const { header } = snapshot;
  if (header.delta) {
    if (base === undefined) throw new SnapshotError('SNAPSHOT_BASE_MISSING', 'is a delta, and its base image is missing', { path: snapshot.bytes.location });
    if (base.header.delta || base.hashes === undefined || Buffer.compare(base.header.snapshotId, header.baseId) !== 0) {
      throw new SnapshotError('SNAPSHOT_BASE_MISSING', 'is a delta against a base image other than the one stored', { path: snapshot.bytes.location });
    }
  }
  const memory = target.prepare(header.memoryPages);
  const ownTargets = storedChunkTargets(snapshot.kinds);
  if (!header.delta || base === undefined) {
    await readStored(snapshot, ownTargets, memory);
    return { baseImage: baseImageOf(snapshot) };
  }
  const baseTargets = baseChunkTargets(snapshot, base);
  // Both at once: they write disjoint chunks (`data` ones from the delta, `base` ones from the
  // base image). Both settle before a failure is reported, so no read outlives the restore.
  const reads = await Promise.allSettled([readStored(snapshot, ownTargets, memory), readStored(base, baseTargets, memory)]);
  for (const read of reads) if (read.status === 'rejected') throw read.reason;
  return { baseImage: baseImageOf(base) };
}

/** For each stored chunk, in order, the memory chunk it belongs to, or -1 when it is not wanted. */
type ChunkTargets = Int32Array;

function storedChunkTargets(kinds: Uint8Array): ChunkTargets {
  const targets: number[] = [];
  kinds.forEach((kind, index) => {
    if (kind === chunkKind.data) targets.push(index);
  });
  return Int32Array.from(targets);
}

/** The base image's stored chunks that the delta refers to; every one must be stored there. */
function baseChunkTargets(delta: OpenedSnapshot, base: OpenedSnapshot): ChunkTargets {
  if (base.kinds.length < delta.kinds.length && delta.kinds.subarray(base.kinds.length).includes(chunkKind.base)) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'refers to chunks beyond its base image\'s memory', { path: delta.bytes.location });
  }
  const targets = new Int32Array(base.header.dataChunks).fill(-1);
  let stored = 0;
  base.kinds.forEach((kind, index) => {
    if (delta.kinds[index] === chunkKind.base) {
      if (kind !== chunkKind.data) throw new SnapshotError('SNAPSHOT_CORRUPT', `refers to chunk ${index}, which its base image does not hold`, { path: delta.bytes.location });
      targets[stored] = index;
    }
    if (kind === chunkKind.data) stored++;
  });
  return targets;
}

async function readStored(snapshot: OpenedSnapshot, targets: ChunkTargets, memory: Uint8Array): Promise<void> {
  try {
    if (snapshot.header.codec === 'raw') await readRawChunks(snapshot, targets, memory);
    else await readZstdChunks(snapshot, targets, memory);
  } catch (err) {
    if (err instanceof SnapshotError) throw err.withContext({ path: snapshot.bytes.location });
    throw err;
  }
}

function baseImageOf(snapshot: OpenedSnapshot): BaseImage | undefined {
  return snapshot.hashes === undefined ? undefined : baseImageFrom(snapshot.header.snapshotId, snapshot.kinds, snapshot.hashes);
}
