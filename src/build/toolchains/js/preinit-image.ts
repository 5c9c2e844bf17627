/**
 * The pre-initialised image of a JS operator: the engine's linear memory right after it
 * evaluated the operator's script, stored in the operator's .wasm as the custom section
 * `wasm-operator.image`. Restoring it into a fresh instance of the engine replaces
 * `_initialize` and the script's evaluation, so a cold start parses nothing.
 *
 * Globals need no entry: the engine's only mutable global is the shadow-stack pointer, which
 * is back at its initial value whenever no call is in flight (checked by `mutableGlobals`
 * at build time).
 *
 * Layout (little-endian): "woim" | u32 version (1) | u32 memory pages | u32 stored pages |
 * u32 page index × stored pages | zstd(stored pages' bytes, in index order).
 * Pages that are all zero are not stored. zstd decodes several times faster than deflate at a
 * similar size, and decoding is what a cold start pays.
 */
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { WasmOperatorError } from '../../../errors.ts';

export const IMAGE_SECTION = 'wasm-operator.image';
const MAGIC = 0x6d696f77; // "woim"
const VERSION = 1;
const PAGE = 65536;

/** An image section that cannot be decoded (corrupt, or from a newer wasm-operator). */
export class PreinitImageError extends WasmOperatorError {
  constructor(message: string) {
    super('PREINIT_IMAGE_INVALID', `pre-initialised image: ${message}; rebuild the operator`, {});
  }
}

/** Encodes a memory's bytes (a whole number of pages); `level` trades build time for size. */
export function encodeImage(memory: Uint8Array, level = 19): Uint8Array {
  if (memory.length % PAGE !== 0) throw new RangeError('memory is not a whole number of pages');
  const pages: number[] = [];
  for (let p = 0; p < memory.length / PAGE; p++) {
    if (memory.subarray(p * PAGE, (p + 1) * PAGE).some((b) => b !== 0)) pages.push(p);
  }
  const data = new Uint8Array(pages.length * PAGE);
  pages.forEach((p, i) => data.set(memory.subarray(p * PAGE, (p + 1) * PAGE), i * PAGE));
  const packed = zstdCompressSync(data, { params: { [constants.ZSTD_c_compressionLevel]: level } });
  const out = new Uint8Array(16 + pages.length * 4 + packed.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, memory.length / PAGE, true);
  view.setUint32(12, pages.length, true);
  pages.forEach((p, i) => view.setUint32(16 + i * 4, p, true));
  out.set(packed, 16 + pages.length * 4);
  return out;
}

/** The decoded image: memory size and the non-zero pages. */
export interface DecodedImage {
  memoryPages: number;
  pages: { index: number; bytes: Uint8Array }[];
}

export function decodeImage(image: Uint8Array): DecodedImage {
  if (image.length < 16) throw new PreinitImageError('section too short');
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new PreinitImageError('bad magic');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new PreinitImageError(`format version ${version}, this host reads ${VERSION}`);
  const memoryPages = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  if (16 + count * 4 > image.length) throw new PreinitImageError('page table truncated');
  let data: Uint8Array;
  try {
    data = zstdDecompressSync(image.subarray(16 + count * 4));
  } catch {
    throw new PreinitImageError('page data does not decompress');
  }
  if (data.length !== count * PAGE) throw new PreinitImageError(`expected ${count} pages of data, got ${data.length} bytes`);
  const pages = Array.from({ length: count }, (_, i) => {
    const index = view.getUint32(16 + i * 4, true);
    if (index >= memoryPages) throw new PreinitImageError(`page ${index} lies beyond the memory's ${memoryPages} pages`);
    return { index, bytes: data.subarray(i * PAGE, (i + 1) * PAGE) };
  });
  return { memoryPages, pages };
}

/** Makes `memory` (a fresh instance's) hold exactly the image: grows it, zeroes it, copies pages. */
export function restoreImage(memory: WebAssembly.Memory, image: DecodedImage): void {
  const current = memory.buffer.byteLength / PAGE;
  if (image.memoryPages > current) memory.grow(image.memoryPages - current);
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(0); // the engine's own data segments are in the image where they still matter
  for (const page of image.pages) bytes.set(page.bytes, page.index * PAGE);
}
