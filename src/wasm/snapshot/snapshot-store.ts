import type { VerifiedSnapshot } from './snapshot-decoder.ts';

/**
 * Which snapshot of an operator: `base` is the post-init image (full, with chunk hashes),
 * `latest` the state at the last suspend (usually a delta against `base`).
 */
export type SnapshotRole = 'base' | 'latest';

/**
 * Where snapshots live between suspend and restore. Implementations are thin: they move
 * bytes and verify them with the codec's `verifySnapshot`; they never interpret memory.
 */
export interface SnapshotStore {
  /**
   * Stores the bytes as the operator's snapshot of `role`, atomically: until the returned
   * promise resolves, a reader sees the previous snapshot, and if writing fails (or the byte
   * stream throws) the previous snapshot stays intact. Throws SnapshotWriteError.
   */
  write(operator: string, role: SnapshotRole, chunks: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }>;
  /**
   * The snapshot, verified (complete, checksum intact, format version known, taken from the
   * module `moduleDigest`), or undefined when none is stored. Throws SnapshotError naming the
   * problem otherwise; nothing is ever half-read.
   */
  read(operator: string, role: SnapshotRole, moduleDigest: string): Promise<VerifiedSnapshot | undefined>;
  /** Removes the operator's snapshot of `role`, or of every role. Missing ones are fine. */
  remove(operator: string, role?: SnapshotRole): Promise<void>;
  /** Bytes stored for the operator, all roles together. */
  sizeBytes(operator: string): Promise<number>;
}

export const snapshotRoles: readonly SnapshotRole[] = ['base', 'latest'];
