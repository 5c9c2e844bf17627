import type { OpenedSnapshot } from './snapshot-file.ts';

/**
 * Which snapshot of an operator: `base` is the post-init image (full, with chunk hashes),
 * `latest` the state at the last suspend (usually a delta against `base`).
 */
export type SnapshotRole = 'base' | 'latest';

/**
 * Where snapshots live between suspend and restore. Implementations are thin: they move
 * bytes and open them with the codec's `openSnapshot`; they never interpret memory.
 */
export interface SnapshotStore {
  /**
   * Stores the bytes as the operator's snapshot of `role`, atomically: until the returned
   * promise resolves, a reader sees the previous snapshot, and if writing fails (or the byte
   * stream throws) the previous snapshot stays intact. Throws SnapshotWriteError.
   */
  write(operator: string, role: SnapshotRole, chunks: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }>;
  /**
   * The snapshot, opened with its header and metadata verified (complete, checksum intact,
   * format version known, taken from the module `moduleDigest`), or undefined when none is
   * stored; its data is verified as the decoder reads it. Throws SnapshotError naming the
   * problem otherwise. The caller closes it (`bytes.close()`); until then it reads the
   * snapshot as it was opened, even if a newer one replaces it meanwhile.
   */
  open(operator: string, role: SnapshotRole, moduleDigest: string): Promise<OpenedSnapshot | undefined>;
  /** Removes the operator's snapshot of `role`, or of every role. Missing ones are fine. */
  remove(operator: string, role?: SnapshotRole): Promise<void>;
  /** Bytes stored for the operator, all roles together. */
  sizeBytes(operator: string): Promise<number>;
}

export const snapshotRoles: readonly SnapshotRole[] = ['base', 'latest'];
