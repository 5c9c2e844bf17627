import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinaryFormatError, ByteReader } from './byte-reader.ts';
import { ByteWriter } from './byte-writer.ts';

test('unsigned and signed LEB128 values round-trip at their limits', () => {
  const unsigned = [0, 1, 127, 128, 300, 0x3fff, 0x4000, 2 ** 31, 2 ** 32 - 1];
  const signed = [0n, -1n, 63n, 64n, -64n, -65n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 63n - 1n, -(2n ** 63n)];
  const writer = new ByteWriter(4);
  for (const value of unsigned) writer.u32(value);
  for (const value of signed) writer.signed(value);
  const reader = new ByteReader(writer.finish());
  assert.deepEqual(unsigned.map(() => reader.u32()), unsigned);
  assert.deepEqual(signed.map(() => reader.signed(64)), signed);
  assert.ok(reader.done);
});

test('s32 reads what signed(32) reads, as a number', () => {
  const values = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8192, -8193, 2 ** 20, -(2 ** 20), 2 ** 27, -(2 ** 27) - 1, 2 ** 31 - 1, -(2 ** 31)];
  const writer = new ByteWriter(4);
  for (const value of values) writer.signed(value);
  const bytes = writer.finish();
  const fast = new ByteReader(bytes);
  const slow = new ByteReader(bytes);
  for (const value of values) {
    assert.equal(fast.s32(), value);
    assert.equal(Number(slow.signed(32)), value);
  }
  assert.throws(() => new ByteReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])).s32(), /s32 LEB128 too long/);
});

test('malformed LEB128 and reads past the end fail with the offset', () => {
  assert.throws(() => new ByteReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).u32(), BinaryFormatError);
  assert.throws(() => new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x7f])).u32(), /out of range/);
  assert.throws(() => new ByteReader(Uint8Array.from([0x80])).u32(), /unexpected end of input \(at byte 1\)/);
  assert.throws(() => new ByteReader(Uint8Array.from([5, 0x61])).name(), /needs 5 bytes, 1 left/);
  assert.throws(() => new ByteReader(Uint8Array.from([1, 0xff])).name(), /not valid UTF-8/);
});

test('a reader never reads past the end it was given, even inside a larger buffer', () => {
  const reader = new ByteReader(Uint8Array.from([1, 2, 3, 4]), 1, 3);
  assert.deepEqual([...reader.take(2)], [2, 3]);
  assert.throws(() => reader.u8(), BinaryFormatError);
});

test('sized sections carry their length', () => {
  const body = new ByteWriter().name('hi').u8(9);
  const bytes = new ByteWriter().section(0, body).finish();
  assert.deepEqual([...bytes], [0, 4, 2, 0x68, 0x69, 9]);
});
