/**
 * A module's pre-initialised image: the custom section `wasm-operator.image` holds a snapshot
 * (the engine's own format, docs/snapshot-format.md) of an instance of the module's code
 * taken after its initialization, made when the module was built (the JS toolchain evaluates
 * the operator's script in the engine and snapshots it). A cold start restores the image
 * instead of running the module's start function and `_initialize`.
 *
 * The image names the module's code digest (ModuleCode.digest, the module without its custom
 * sections), not the module's own digest: the image cannot name the bytes it is part of.
 * It is verified once, when the module is loaded, and refused with the module if it does not
 * fit: a module whose image cannot be restored must not start without it either.
 */
import type { RawSection } from './binary/module-parser.ts';
import { ModuleError, SnapshotError } from './errors.ts';
import type { ModuleCode } from './module-code.ts';
import { verifySnapshot } from './snapshot/snapshot-file.ts';
import type { OpenedSnapshot } from './snapshot/snapshot-file.ts';

export const imageSectionName = 'wasm-operator.image';

/** The verified image of a module (a copy, so it does not keep the module's bytes alive), or undefined when it has none. */
export async function readImage(custom: readonly RawSection[], code: ModuleCode, source: string): Promise<OpenedSnapshot | undefined> {
  const sections = custom.filter((s) => s.name === imageSectionName);
  if (sections.length === 0) return undefined;
  const invalid = (problem: string, cause?: unknown) => new ModuleError('MODULE_IMAGE_INVALID', source, `has a ${imageSectionName} section that ${problem}; rebuild the operator`, {}, cause);
  if (sections.length > 1) throw invalid(`appears ${sections.length} times`);
  let image: OpenedSnapshot;
  try {
    // A copy (new Uint8Array, not .slice(): on a Buffer that is a view), so the image does not keep the module bytes alive.
    image = await verifySnapshot(new Uint8Array(sections[0]!.content), code.digest, `${source}#${imageSectionName}`);
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    const problem = err.code === 'SNAPSHOT_WRONG_MODULE' ? 'was made for other code than this module\'s' : `is not a usable snapshot: it ${err.detail}`;
    throw invalid(problem, err);
  }
  const { header } = image;
  if (header.delta) throw invalid('is a delta snapshot; an image must be complete');
  if (header.globals.map((g) => g.type).join(',') !== code.stateGlobals.map((g) => g.type).join(',')) throw invalid('holds globals that do not match the module\'s');
  if (header.memoryPages < code.initialMemoryPages) throw invalid(`holds ${header.memoryPages} memory pages, fewer than the module starts with`);
  if (header.memoryPages > code.maxMemoryPages) {
    throw new ModuleError('MODULE_MEMORY_TOO_LARGE', source, `starts from an image of ${header.memoryPages} pages (${header.memoryPages * 64} KiB), above the limit of ${code.maxMemoryPages} pages`, { maxMemoryPages: code.maxMemoryPages });
  }
  return image;
}

/**
 * Images by module digest and memory limit, held weakly: every module loaded from the same
 * bytes (one operator deployed many times) shares one copy of its image, and the copy goes
 * with the last of them. An image is ~100 KiB for a JS operator: without sharing, the largest
 * part of what a suspended JS operator costs.
 */
export class ImageCache {
  readonly #images = new Map<string, WeakRef<OpenedSnapshot>>();
  readonly #forget = new FinalizationRegistry<string>((key) => {
    if (this.#images.get(key)?.deref() === undefined) this.#images.delete(key);
  });

  /** The image cached under `key`, or the one `read` verifies (then cached; undefined, for a module without one, is not). */
  async get(key: string, read: () => Promise<OpenedSnapshot | undefined>): Promise<OpenedSnapshot | undefined> {
    const cached = this.#images.get(key)?.deref();
    if (cached !== undefined) return cached;
    const image = await read();
    if (image !== undefined) {
      this.#images.set(key, new WeakRef(image));
      this.#forget.register(image, key);
    }
    return image;
  }
}
