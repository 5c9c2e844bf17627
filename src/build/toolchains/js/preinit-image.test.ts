import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeImage, encodeImage, PreinitImageError, restoreImage } from './preinit-image.ts';

const PAGE = 65536;

function memoryWith(pages: number, marks: Record<number, number>): Uint8Array {
  const bytes = new Uint8Array(pages * PAGE);
  for (const [offset, value] of Object.entries(marks)) bytes[Number(offset)] = value;
  return bytes;
}

test('an image stores only non-zero pages and restores the exact memory', () => {
  const original = memoryWith(6, { 10: 1, [3 * PAGE + 7]: 2, [6 * PAGE - 1]: 3 });
  const image = encodeImage(original);
  const decoded = decodeImage(image);
  assert.equal(decoded.memoryPages, 6);
  assert.deepEqual(decoded.pages.map((p) => p.index), [0, 3, 5]);
  const memory = new WebAssembly.Memory({ initial: 2 });
  new Uint8Array(memory.buffer).fill(9); // what a fresh instance's data segments left behind
  restoreImage(memory, decoded);
  assert.deepEqual(new Uint8Array(memory.buffer), original);
});

test('a corrupt or foreign image is refused with a reason', () => {
  const image = encodeImage(memoryWith(1, { 0: 1 }));
  const cases: [Uint8Array, RegExp][] = [
    [image.subarray(0, 8), /too short/],
    [Uint8Array.from([0, ...image.subarray(1)]), /bad magic/],
    [(() => { const c = image.slice(); c[4] = 2; return c; })(), /format version 2/],
    [image.subarray(0, image.length - 3), /decompress|pages of data/],
  ];
  for (const [bytes, reason] of cases) {
    assert.throws(() => decodeImage(bytes), (err: Error) => err instanceof PreinitImageError && reason.test(err.message));
  }
});
