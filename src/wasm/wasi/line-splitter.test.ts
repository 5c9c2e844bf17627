import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, maxLineChars } from './line-splitter.ts';

test('lines are split on newlines across writes, with CRLF handled and UTF-8 decoded across boundaries', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const bytes = new TextEncoder().encode('héllo\r\nwor');
  splitter.write(bytes.subarray(0, 2)); // splits the two bytes of é
  splitter.write(bytes.subarray(2));
  splitter.write(new TextEncoder().encode('ld\n\nlast'));
  assert.deepEqual(lines, ['héllo', 'world', '']);
  splitter.flush();
  assert.deepEqual(lines, ['héllo', 'world', '', 'last']);
  splitter.flush();
  assert.equal(lines.length, 4);
});

test('a line longer than the limit is cut into pieces', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.write(new TextEncoder().encode('x'.repeat(maxLineChars * 2 + 3)));
  assert.deepEqual(lines.map((l) => l.length), [maxLineChars, maxLineChars]);
  splitter.flush();
  assert.equal(lines[2], 'xxx');
});
