/**
 * Zeroes the free memory of AssemblyScript's TLSF allocator, so that a snapshot of an idle
 * guest holds its live data and zeros (which the host's snapshot codec skips or compresses to
 * nothing) instead of the leftovers of every object freed since the last call.
 *
 * This reads the allocator's free lists, whose layout is private to AssemblyScript's runtime
 * (`~lib/rt/tlsf.ts`): the constants below are those of assemblyscript 0.28 on wasm32, and
 * sdk/assemblyscript/scrub.test.ts fails if they stop matching.
 */
import { ROOT } from "rt/tlsf";

// Free-list heads sit in the root after the first-level bitmap and 23 second-level bitmaps
// (HL_START), one per (first level, second level) pair: 23 x 16 of them.
const FL_BITS: usize = 23;
const SL_SIZE: usize = 16;
const HL_START: usize = 96;
const TAGS_MASK: usize = 3;
// A free block is [mmInfo][prev][next] ... [back]: keep those, zero the rest.
const KEEP_FRONT: usize = 3 * sizeof<usize>();
const KEEP_BACK: usize = sizeof<usize>();

/** Zeroes every free block's spare bytes. Call only between operations (no allocation in flight). */
export function scrubFreeMemory(): void {
  const root = changetype<usize>(ROOT);
  if (root == 0) return;
  for (let i: usize = 0; i < FL_BITS * SL_SIZE; i++) {
    let block = load<usize>(root + HL_START + (i << alignof<usize>()));
    while (block != 0) {
      const size = load<usize>(block) & ~TAGS_MASK; // payload bytes after the mmInfo word
      const end = block + sizeof<usize>() + size;
      if (size > KEEP_FRONT + KEEP_BACK) memory.fill(block + KEEP_FRONT, 0, end - KEEP_BACK - (block + KEEP_FRONT));
      block = load<usize>(block, 2 * sizeof<usize>()); // next
    }
  }
}
