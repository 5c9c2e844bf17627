import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinHeap } from './min-heap.ts';

test('items come out smallest first, whatever order they went in', () => {
  // A fixed pseudo-random sequence, so a failure can be replayed.
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const heap = new MinHeap<number>((a, b) => a < b);
  const values = Array.from({ length: 500 }, () => next() % 1_000);
  const out: number[] = [];
  for (const [i, v] of values.entries()) {
    heap.push(v);
    if (i % 3 === 0) out.push(heap.pop()!);
  }
  while (heap.size > 0) out.push(heap.pop()!);
  assert.equal(out.length, values.length);
  assert.deepEqual([...out].sort((a, b) => a - b), [...values].sort((a, b) => a - b));
  const tail = out.slice(Math.ceil(values.length / 3));
  assert.deepEqual(tail, [...tail].sort((a, b) => a - b));
});

test('an empty heap has nothing to peek or pop', () => {
  const heap = new MinHeap<string>((a, b) => a < b);
  assert.equal(heap.peek(), undefined);
  assert.equal(heap.pop(), undefined);
});
