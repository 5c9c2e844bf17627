/**
 * Decides what a snapshot stores for each 4 KiB chunk of memory: nothing for a zero chunk
 * (a fresh memory is zero, and the OS does not back untouched pages, so a restored guest
 * stays as small as it was), nothing for a chunk identical to the base image's (a delta),
 * and the bytes otherwise.
 *
 * "Identical" is decided by sha256 of the chunk, never by a weaker hash: a collision would
 * restore wrong memory without any error.
 */
import { hash } from 'node:crypto';
import { chunkKind, chunkSize, hashBytes } from './snapshot-format.ts';

/** A post-init snapshot that later snapshots of the same operator may be deltas against. */
export interface BaseImage {
  snapshotId: Uint8Array;
  /** sha256 of chunk `index` of the base image; undefined for a zero chunk (or one past its end). */
  hashOf(index: number): Uint8Array | undefined;
}

export interface ChunkPlan {
  /** One chunkKind per chunk of memory. */
  kinds: Uint8Array;
  dataChunks: number;
  /**
   * When asked for: the sha256 of every non-zero chunk, in chunk order, 32 bytes each (this
   * snapshot can become a base image; the file stores this table as it is).
   */
  hashes: Uint8Array | undefined;
}

const zeroBlock = new Uint8Array(16 * chunkSize);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

export function chunkHash(chunk: Uint8Array): Uint8Array {
  return hash('sha256', chunk, 'buffer');
}

export function planChunks(memory: Uint8Array, base: BaseImage | undefined, keepHashes: boolean): ChunkPlan {
  const chunks = Math.floor(memory.length / chunkSize);
  const kinds = new Uint8Array(chunks);
  const hashes: Uint8Array[] | undefined = keepHashes ? [] : undefined;
  let dataChunks = 0;
  for (let block = 0; block < chunks; block += 16) {
    const blockChunks = Math.min(16, chunks - block);
    const blockBytes = memory.subarray(block * chunkSize, (block + blockChunks) * chunkSize);
    if (sameBytes(blockBytes, zeroBlock.subarray(0, blockBytes.length))) continue;
    for (let i = block; i < block + blockChunks; i++) {
      const chunk = memory.subarray(i * chunkSize, (i + 1) * chunkSize);
      if (sameBytes(chunk, zeroBlock.subarray(0, chunkSize))) continue;
      const baseHash = base?.hashOf(i);
      const digest = baseHash !== undefined || hashes !== undefined ? chunkHash(chunk) : undefined;
      if (baseHash !== undefined && digest !== undefined && sameBytes(baseHash, digest)) {
        kinds[i] = chunkKind.base;
      } else {
        kinds[i] = chunkKind.data;
        dataChunks++;
      }
      if (hashes !== undefined && digest !== undefined) hashes.push(digest);
    }
  }
  return { kinds, dataChunks, hashes: hashes === undefined ? undefined : new Uint8Array(Buffer.concat(hashes)) };
}

/**
 * The base image of a snapshot whose chunk map is `kinds` and whose hash table is `hashes`
 * (one per non-zero chunk, in chunk order), as the file stores it, with an index of where each
 * chunk's hash is: built on every restore, so it must be cheap.
 */
export function baseImageFrom(snapshotId: Uint8Array, kinds: Uint8Array, hashes: Uint8Array): BaseImage {
  const slots = new Int32Array(kinds.length);
  let n = 0;
  for (let index = 0; index < kinds.length; index++) slots[index] = kinds[index] === chunkKind.zero ? -1 : n++;
  return {
    snapshotId,
    hashOf: (index) => {
      const slot = slots[index] ?? -1;
      return slot < 0 ? undefined : hashes.subarray(slot * hashBytes, (slot + 1) * hashBytes);
    },
  };
}
