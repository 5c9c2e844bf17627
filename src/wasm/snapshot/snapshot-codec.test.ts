import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import type { SnapshotError } from '../errors.ts';
import type { BaseImage } from './chunk-plan.ts';
import { decodeSnapshot } from './snapshot-decoder.ts';
import { encodeSnapshot } from './snapshot-encoder.ts';
import type { SnapshotSource } from './snapshot-encoder.ts';
import { chunkSize, decodeHeader, verifySnapshot } from './snapshot-format.ts';

const digest = `sha256:${'ab'.repeat(32)}`;
const otherDigest = `sha256:${'cd'.repeat(32)}`;
const page = 65536;
const clock = { monotonicNs: 5_000_000_000n, realtimeNs: 1_750_000_000_000_000_000n };

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
}

/** A memory with data in some chunks and zeros elsewhere. */
function sparseMemory(pages: number, filledChunks: number, seed: number): Uint8Array {
  const memory = new Uint8Array(pages * page);
  const next = prng(seed);
  for (let n = 0; n < filledChunks; n++) {
    const chunk = next() % (memory.length / chunkSize);
    for (let i = 0; i < chunkSize; i += 4) memory[chunk * chunkSize + i] = next() & 0xff;
  }
  return memory;
}

async function encode(source: Partial<SnapshotSource> & { memory: Uint8Array }): Promise<{ file: Uint8Array; baseImage: BaseImage | undefined }> {
  const encoded = encodeSnapshot({ moduleDigest: digest, abiVersion: 1, globals: [], clock, ...source });
  const parts: Uint8Array[] = [];
  for await (const part of encoded.chunks) parts.push(part);
  return { file: new Uint8Array(Buffer.concat(parts)), baseImage: encoded.baseImage };
}

async function decode(file: Uint8Array, pages: number, base?: Uint8Array): Promise<{ memory: Uint8Array; baseImage: BaseImage | undefined }> {
  let memory = new Uint8Array(0);
  const { baseImage } = await decodeSnapshot(verifySnapshot(file, digest), {
    prepare: (p) => {
      assert.equal(p, pages);
      memory = new Uint8Array(p * page);
      return memory;
    },
  }, base === undefined ? undefined : verifySnapshot(base, digest));
  return { memory, baseImage };
}

test('a snapshot restores memory, globals (bit for bit, NaN payloads included) and the guest\'s clock readings', async () => {
  const memory = sparseMemory(8, 40, 1);
  const globals = [
    { type: 'i32', bits: 0xffff_fffen }, { type: 'i64', bits: 0x8000_0000_0000_0001n },
    { type: 'f64', bits: 0x7ff4_0000_0000_0123n }, { type: 'f32', bits: 0x7fa0_0042n },
  ] as const;
  const { file } = await encode({ memory, globals: [...globals] });
  const header = decodeHeader(file);
  assert.deepEqual(header.globals, globals);
  assert.equal(header.memoryPages, 8);
  assert.equal(header.abiVersion, 1);
  assert.equal(header.moduleDigest, digest);
  assert.deepEqual(header.clock, clock);
  const restored = await decode(file, 8);
  assert.ok(Buffer.from(restored.memory).equals(memory));
});

test('zero chunks are not stored: a mostly empty 16 MiB memory takes a few KiB', async () => {
  const memory = sparseMemory(256, 4, 2);
  const { file } = await encode({ memory });
  assert.ok(decodeHeader(file).dataChunks <= 4);
  assert.ok(file.length < 24 * 1024, `${file.length} bytes`);
  assert.ok(Buffer.from((await decode(file, 256)).memory).equals(memory));
});

test('large memories go through several segments and back', async () => {
  const memory = sparseMemory(200, 3000, 3); // about 12 MiB of chunks: several segments
  const { file } = await encode({ memory, compressionLevel: 3 });
  assert.ok(Buffer.from((await decode(file, 200)).memory).equals(memory));
});

test('a delta stores only chunks that differ from its base image', async () => {
  const baseMemory = sparseMemory(16, 100, 4);
  const base = await encode({ memory: baseMemory, asBase: true });
  assert.ok(base.baseImage !== undefined);
  assert.ok(decodeHeader(base.file).hasChunkHashes);
  const memory = new Uint8Array(32 * page);
  memory.set(baseMemory);
  memory.fill(7, 3 * chunkSize, 5 * chunkSize); // two chunks changed
  memory.fill(9, 20 * page, 20 * page + 10); // one chunk in the grown part
  const firstFilled = baseMemory.findIndex((b) => b !== 0);
  memory.fill(0, firstFilled - (firstFilled % chunkSize), firstFilled - (firstFilled % chunkSize) + chunkSize); // one chunk cleared
  const delta = await encode({ memory, base: base.baseImage });
  const header = decodeHeader(delta.file);
  assert.equal(header.delta, true);
  assert.ok(header.dataChunks <= 3, `${header.dataChunks} chunks stored`);
  const restored = await decode(delta.file, 32, base.file);
  assert.ok(Buffer.from(restored.memory).equals(memory));
  assert.deepEqual(restored.baseImage?.snapshotId, base.baseImage.snapshotId, 'the restored instance keeps its base for later deltas');
  assert.equal(restored.baseImage?.chunkHashes.size, base.baseImage.chunkHashes.size);
});

test('a delta without its base image, or with another one, is refused', async () => {
  const baseMemory = sparseMemory(4, 10, 5);
  const base = await encode({ memory: baseMemory, asBase: true });
  const otherBase = await encode({ memory: baseMemory, asBase: true });
  const delta = await encode({ memory: baseMemory, base: base.baseImage });
  await assert.rejects(decode(delta.file, 4), { code: 'SNAPSHOT_BASE_MISSING' });
  await assert.rejects(decode(delta.file, 4, otherBase.file), { code: 'SNAPSHOT_BASE_MISSING' });
});

test('every flipped bit is detected; nothing is ever restored from a damaged file', async () => {
  const { file } = await encode({ memory: sparseMemory(4, 20, 6), globals: [{ type: 'i32', bits: 5n }] });
  const next = prng(7);
  const codes = new Set<string>();
  for (let n = 0; n < 400; n++) {
    const damaged = file.slice();
    const at = n < file.length ? n : next() % file.length;
    damaged[at]! ^= 1 << (next() % 8);
    assert.throws(() => verifySnapshot(damaged, digest), (err: SnapshotError) => (codes.add(err.code), err.code.startsWith('SNAPSHOT_')), `flip at byte ${at}`);
  }
  assert.ok(codes.has('SNAPSHOT_CORRUPT'));
  assert.ok(codes.has('SNAPSHOT_VERSION'));
});

test('every truncation is detected', async () => {
  const { file } = await encode({ memory: sparseMemory(4, 20, 8) });
  for (let length = 0; length < file.length; length += length < 200 ? 1 : 97) {
    assert.throws(() => verifySnapshot(file.subarray(0, length), digest), (err: SnapshotError) => ['SNAPSHOT_TRUNCATED', 'SNAPSHOT_CORRUPT'].includes(err.code), `length ${length}`);
  }
});

test('a snapshot of another module or another format version is refused by name', async () => {
  const { file } = await encode({ memory: sparseMemory(1, 2, 9) });
  assert.throws(() => verifySnapshot(file, otherDigest), { code: 'SNAPSHOT_WRONG_MODULE', message: new RegExp(`taken from module ${digest}, not ${otherDigest}`) });
  const future = file.slice();
  future[8] = 3;
  assert.throws(() => verifySnapshot(future, digest), { code: 'SNAPSHOT_VERSION', message: /format version 3; this engine reads version 2/ });
  // Version 1 had no clock readings: its guests' monotonic clocks could not be continued.
  const old = file.slice();
  old[8] = 1;
  assert.throws(() => verifySnapshot(old, digest), { code: 'SNAPSHOT_VERSION', message: /format version 1; this engine reads version 2/ });
});

test('a body that disagrees with its header is refused even when the checksum matches', async () => {
  const { file } = await encode({ memory: sparseMemory(2, 5, 10) });
  const header = decodeHeader(file);
  const lie = file.slice();
  new DataView(lie.buffer).setUint32(92, header.dataChunks + 1, true); // claims one more stored chunk
  const trailer = lie.length - 16;
  new DataView(lie.buffer).setUint32(trailer + 8, zlib.crc32(lie.subarray(0, trailer)), true);
  await assert.rejects(decode(lie, 2), { code: 'SNAPSHOT_CORRUPT' });
});

test('segments whose lengths lie are refused, in one-segment and many-segment bodies alike', async () => {
  for (const memory of [sparseMemory(2, 5, 11), sparseMemory(200, 3000, 12)]) {
    const { file } = await encode({ memory });
    const pages = decodeHeader(file).memoryPages;
    const headerBytes = decodeHeader(file).headerBytes;
    for (const [field, delta] of [[0, 1], [4, -1]] as const) {
      const lie = file.slice();
      const view = new DataView(lie.buffer);
      view.setUint32(headerBytes + field, view.getUint32(headerBytes + field, true) + delta, true);
      const trailer = lie.length - 16;
      view.setUint32(trailer + 8, zlib.crc32(lie.subarray(0, trailer)), true);
      await assert.rejects(decode(lie, pages), { code: 'SNAPSHOT_CORRUPT' });
    }
  }
});
