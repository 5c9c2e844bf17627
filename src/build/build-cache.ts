/**
 * Compiled modules cached by the content of every file that went into them (what the
 * toolchain reported reading), like a make dependency file: editing the entry, an included
 * header or the SDK itself makes the next build compile again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

interface CacheRecord {
  inputs: Record<string, string>; // absolute path -> sha256 of its content
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function hashFile(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}

/** Written to a temporary name, then renamed: concurrent builds never read half a file. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** A folder of `<key>.wasm` + `<key>.json` (the inputs and their hashes). */
export class BuildCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A cache key for everything about a build that is not file content. */
  static key(parts: Record<string, unknown>): string {
    return sha256(JSON.stringify(parts)).slice(0, 32);
  }

  /** The cached module for `key`, if every input it was built from is unchanged. */
  async get(key: string): Promise<Uint8Array | undefined> {
    let record: CacheRecord;
    try {
      record = JSON.parse(await readFile(path.join(this.#dir, `${key}.json`), 'utf8')) as CacheRecord;
    } catch {
      return undefined;
    }
    for (const [file, hash] of Object.entries(record.inputs)) {
      if ((await hashFile(file)) !== hash) return undefined;
    }
    try {
      return new Uint8Array(await readFile(path.join(this.#dir, `${key}.wasm`)));
    } catch {
      return undefined;
    }
  }

  /** Stores `wasm` under `key` with the hashes of `inputs` as they are now. */
  async put(key: string, wasm: Uint8Array, inputs: Iterable<string>): Promise<void> {
    const record: CacheRecord = { inputs: {} };
    for (const file of inputs) {
      const hash = await hashFile(file);
      if (hash === undefined) return; // an input vanished mid-build: not worth caching
      record.inputs[file] = hash;
    }
    await mkdir(this.#dir, { recursive: true });
    await writeAtomically(path.join(this.#dir, `${key}.wasm`), wasm);
    await writeAtomically(path.join(this.#dir, `${key}.json`), JSON.stringify(record));
  }
}
