import { SnapshotError, SnapshotWriteError } from '../errors.ts';
import { bufferBytes, openSnapshot } from './snapshot-file.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';
import { snapshotRoles } from './snapshot-store.ts';
import type { SnapshotRole, SnapshotStore } from './snapshot-store.ts';

/** A SnapshotStore in process memory: for tests, and for hosts that only need fast wake-ups, not memory savings. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly #files = new Map<string, Uint8Array>();

  #key(operator: string, role: SnapshotRole): string {
    return `${role}\0${operator}`;
  }

  async write(operator: string, role: SnapshotRole, chunks: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }> {
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of chunks) parts.push(chunk);
    } catch (err) {
      throw new SnapshotWriteError(operator, `memory:${role}`, err);
    }
    const file = Buffer.concat(parts);
    this.#files.set(this.#key(operator, role), file);
    return { sizeBytes: file.length };
  }

  async open(operator: string, role: SnapshotRole, moduleDigest: string): Promise<OpenedSnapshot | undefined> {
    const file = this.#files.get(this.#key(operator, role));
    if (file === undefined) return undefined;
    try {
      return await openSnapshot(bufferBytes(file, `memory:${role}`), moduleDigest);
    } catch (err) {
      if (err instanceof SnapshotError) throw err.withContext({ operator });
      throw err;
    }
  }

  async remove(operator: string, role?: SnapshotRole): Promise<void> {
    for (const r of role === undefined ? snapshotRoles : [role]) this.#files.delete(this.#key(operator, r));
  }

  async sizeBytes(operator: string): Promise<number> {
    return snapshotRoles.reduce((n, role) => n + (this.#files.get(this.#key(operator, role))?.length ?? 0), 0);
  }

  /** The raw bytes, for tests that damage them. */
  rawFile(operator: string, role: SnapshotRole): Uint8Array | undefined {
    return this.#files.get(this.#key(operator, role));
  }

  setRawFile(operator: string, role: SnapshotRole, bytes: Uint8Array): void {
    this.#files.set(this.#key(operator, role), bytes);
  }
}
