import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseSuspensions, type ResidentOperator } from './memory-budget.ts';

const MiB = 1024 * 1024;
const op = (name: string, lastActiveMs: number, phase: ResidentOperator['phase'] = 'warm', residentBytes = 10 * MiB): ResidentOperator => ({
  name,
  phase,
  residentBytes,
  lastActiveMs,
});

test('the least recently active warm operators are suspended first, just enough to fit', () => {
  const choice = chooseSuspensions([op('a', 300), op('b', 100), op('c', 200), op('d', 400)], 25 * MiB);
  assert.deepEqual(choice, { suspend: ['b', 'c'], residentBytes: 20 * MiB, fits: true });
});

test('nothing is suspended while the total fits', () => {
  assert.deepEqual(chooseSuspensions([op('a', 1), op('b', 2)], 20 * MiB).suspend, []);
});

test('busy, loading and pinned operators count against the budget but are never chosen', () => {
  const ops = [op('busy', 1, 'busy'), op('loading', 2, 'loading'), { ...op('pinned', 3), pinned: true }, op('warm', 4)];
  assert.deepEqual(chooseSuspensions(ops, 15 * MiB), { suspend: ['warm'], residentBytes: 30 * MiB, fits: false });
});

test('an operator about to load makes room for itself', () => {
  assert.deepEqual(chooseSuspensions([op('a', 1), op('b', 2)], 20 * MiB, 8 * MiB).suspend, ['a']);
});

test('operators already suspending, suspended or cold cost nothing', () => {
  const ops = [op('s', 1, 'suspending'), op('z', 1, 'suspended'), op('c', 1, 'cold'), op('w', 5)];
  assert.deepEqual(chooseSuspensions(ops, 10 * MiB), { suspend: [], residentBytes: 10 * MiB, fits: true });
});

test('ties in activity are broken by name, so the choice is reproducible', () => {
  assert.deepEqual(chooseSuspensions([op('b', 7), op('a', 7)], 10 * MiB).suspend, ['a']);
});
