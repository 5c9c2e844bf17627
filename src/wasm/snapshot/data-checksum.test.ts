import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { wat } from '../../../test/support/wat.ts';
import { DataChecksum, dataChecksum, dataChecksumBytes } from './data-checksum.ts';

/** The definition, word by word with BigInts: four interleaved Fletcher-4 sums, zero-padded to 16 bytes. */
function reference(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 16) * 16);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const mask = (1n << 64n) - 1n;
  const [a, b, c, d] = [0, 1, 2, 3].map(() => [0n, 0n, 0n, 0n]) as [bigint[], bigint[], bigint[], bigint[]];
  for (let i = 0; i < padded.length / 4; i++) {
    const lane = i % 4;
    a[lane] = (a[lane]! + BigInt(view.getUint32(i * 4, true))) & mask;
    b[lane] = (b[lane]! + a[lane]!) & mask;
    c[lane] = (c[lane]! + b[lane]!) & mask;
    d[lane] = (d[lane]! + c[lane]!) & mask;
  }
  return new Uint8Array(BigUint64Array.from([...a, ...b, ...c, ...d]).buffer);
}

/** `bytes` cut at random points, to exercise the carrying of a partial 16-byte group between updates. */
function randomParts(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = Math.min(bytes.length - at, 1 + Math.floor(Math.random() * (Math.random() < 0.5 ? 23 : 70_000)));
    parts.push(bytes.subarray(at, at + length));
    at += length;
  }
  return parts;
}

describe('data checksum', () => {
  it('runs the module assembled from data-checksum.wat', async () => {
    const text = fs.readFileSync(new URL('./data-checksum.wat', import.meta.url), 'utf8');
    const assembled = await wat(text, { names: false });
    const source = fs.readFileSync(new URL('./data-checksum.ts', import.meta.url), 'utf8');
    assert.ok(source.includes(`'${Buffer.from(assembled).toString('base64')}'`), 'the embedded module is not data-checksum.wat assembled; paste the new bytes');
  });

  it('matches the definition, however the bytes are cut into updates', () => {
    for (const length of [0, 1, 15, 16, 17, 4096, 65_536 + 20, 300_001]) {
      const bytes = new Uint8Array(randomBytes(length));
      const expected = reference(bytes);
      assert.deepEqual(dataChecksum(bytes), expected, `${length} bytes in one update`);
      assert.deepEqual(dataChecksum(...randomParts(bytes)), expected, `${length} bytes in pieces`);
    }
  });

  it('is 128 bytes, and a digest leaves the checksum open for more bytes', () => {
    const checksum = new DataChecksum().update(Uint8Array.of(1, 2, 3));
    assert.equal(checksum.digest().length, dataChecksumBytes);
    checksum.update(Uint8Array.of(4, 5));
    assert.deepEqual(checksum.digest(), reference(Uint8Array.of(1, 2, 3, 4, 5)));
  });

  it('changes with every flipped bit and with two words swapped', () => {
    const bytes = new Uint8Array(randomBytes(256));
    const original = dataChecksum(bytes);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      assert.notDeepEqual(dataChecksum(bytes), original, `bit ${bit}`);
      bytes[bit >> 3]! ^= 1 << (bit & 7);
    }
    for (const [i, j] of [[0, 1], [0, 4], [3, 60]] as const) {
      const swapped = new Uint32Array(bytes.slice().buffer);
      [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
      assert.notDeepEqual(dataChecksum(new Uint8Array(swapped.buffer)), original, `words ${i} and ${j}`);
    }
  });
});
