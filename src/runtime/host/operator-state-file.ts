/**
 * What survives a host restart besides an operator's snapshots: which module and settings the
 * snapshots were taken with, and the operator's pending work (requeue timers, backoff), so a
 * suspended operator is resumed from disk, and woken on time, by the next host process.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, rm, open } from 'node:fs/promises';
import path from 'node:path';
import type { QueueState } from '../queue/index.ts';
import type { ReconcileRequest } from '../reconcile-request.ts';

export interface OperatorState {
  /** The module digest and init settings the snapshots belong to (see `settingsDigest`). */
  settingsDigest: string;
  queue: QueueState<ReconcileRequest>;
  /** Wall-clock time of the save, so due times can be moved by the time the host was down. */
  savedAtMs: number;
}

/**
 * A digest of everything a snapshot depends on: the module and what `init` and WASI were
 * given. A snapshot taken under another digest is never restored (the operator starts cold).
 */
export function settingsDigest(moduleDigest: string, init: { config: unknown; args: readonly string[]; env: Readonly<Record<string, string>> }): string {
  return createHash('sha256').update(JSON.stringify([moduleDigest, init.config, init.args, Object.entries(init.env).sort()])).digest('hex');
}

export class OperatorStateFile {
  readonly path: string;

  constructor(directory: string, operator: string) {
    this.path = path.join(directory, `${encodeURIComponent(operator)}.state.json`);
  }

  /** The saved state, or undefined when there is none or it cannot be read (then the operator starts cold). */
  async read(): Promise<OperatorState | undefined> {
    try {
      const state = JSON.parse(await readFile(this.path, 'utf8')) as Partial<OperatorState>;
      if (typeof state.settingsDigest !== 'string' || typeof state.savedAtMs !== 'number' || !Array.isArray(state.queue?.items)) return undefined;
      return state as OperatorState;
    } catch {
      return undefined;
    }
  }

  /** Written to a temporary file, synced and renamed: a crash leaves the old state or the new one. */
  async write(state: OperatorState): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    const handle = await open(tmp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
