import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import type { SnapshotError } from '../errors.ts';
import type { BaseImage } from './chunk-plan.ts';
import { decodeSnapshot } from './snapshot-decoder.ts';
import { encodeSnapshot } from './snapshot-encoder.ts';
import type { SnapshotCompression, SnapshotSource } from './snapshot-encoder.ts';
import { bufferBytes, openSnapshot, verifySnapshot } from './snapshot-file.ts';
import { dataChecksum } from './data-checksum.ts';
import { chunkSize, decodeHeader, trailerBytes } from './snapshot-format.ts';

const digest = `sha256:${'ab'.repeat(32)}`;
const otherDigest = `sha256:${'cd'.repeat(32)}`;
const page = 65536;
const clock = { monotonicNs: 5_000_000_000n, realtimeNs: 1_750_000_000_000_000_000n };
/** Both ways of storing data: every behaviour below must hold for each. */
const compressions: SnapshotCompression[] = ['zstd', 'none'];

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

const open = (file: Uint8Array, expected = digest) => openSnapshot(bufferBytes(file, 'test'), expected);

async function decode(file: Uint8Array, pages: number, base?: Uint8Array): Promise<{ memory: Uint8Array; baseImage: BaseImage | undefined }> {
  let memory = new Uint8Array(0);
  const { baseImage } = await decodeSnapshot(await open(file), {
    prepare: (p) => {
      assert.equal(p, pages);
      memory = new Uint8Array(p * page);
      return memory;
    },
  }, base === undefined ? undefined : await open(base));
  return { memory, baseImage };
}

for (const compression of compressions) {
  test(`${compression}: a snapshot restores memory, globals (bit for bit, NaN payloads included) and the guest's clock readings`, async () => {
    const memory = sparseMemory(8, 40, 1);
    const globals = [
      { type: 'i32', bits: 0xffff_fffen }, { type: 'i64', bits: 0x8000_0000_0000_0001n },
      { type: 'f64', bits: 0x7ff4_0000_0000_0123n }, { type: 'f32', bits: 0x7fa0_0042n },
    ] as const;
    const { file } = await encode({ memory, globals: [...globals], compression });
    const header = decodeHeader(file);
    assert.equal(header.codec, compression === 'none' ? 'raw' : 'zstd');
    assert.deepEqual(header.globals, globals);
    assert.equal(header.memoryPages, 8);
    assert.equal(header.abiVersion, 1);
    assert.equal(header.moduleDigest, digest);
    assert.deepEqual(header.clock, clock);
    const restored = await decode(file, 8);
    assert.ok(Buffer.from(restored.memory).equals(memory));
  });

  test(`${compression}: large memories go through several segments or reads and back`, async () => {
    const memory = sparseMemory(200, 3000, 3); // about 12 MiB of chunks
    const { file } = await encode({ memory, compression, compressionLevel: 3 });
    assert.ok(Buffer.from((await decode(file, 200)).memory).equals(memory));
  });

  test(`${compression}: every flipped bit is detected; nothing is ever restored from a damaged file`, async () => {
    const { file } = await encode({ memory: sparseMemory(4, 20, 6), globals: [{ type: 'i32', bits: 5n }], compression });
    const next = prng(7);
    const codes = new Set<string>();
    for (let n = 0; n < 400; n++) {
      const damaged = file.slice();
      const at = n < 300 ? n : next() % file.length;
      damaged[at]! ^= 1 << (next() % 8);
      await assert.rejects(decode(damaged, 4), (err: SnapshotError) => (codes.add(err.code), err.code.startsWith('SNAPSHOT_')), `flip at byte ${at}`);
    }
    for (let at = file.length - trailerBytes; at < file.length; at++) {
      const damaged = file.slice();
      damaged[at]! ^= 0x20;
      await assert.rejects(decode(damaged, 4), (err: SnapshotError) => err.code.startsWith('SNAPSHOT_'), `flip in the trailer at byte ${at}`);
    }
    assert.ok(codes.has('SNAPSHOT_CORRUPT'));
    assert.ok(codes.has('SNAPSHOT_VERSION'));
  });

  test(`${compression}: every truncation is detected`, async () => {
    const { file } = await encode({ memory: sparseMemory(4, 20, 8), compression });
    for (let length = 0; length < file.length; length += length < 200 ? 1 : 97) {
      await assert.rejects(decode(file.subarray(0, length), 4), (err: SnapshotError) => ['SNAPSHOT_TRUNCATED', 'SNAPSHOT_CORRUPT'].includes(err.code), `length ${length}`);
    }
  });
}

test('zero chunks are not stored: a mostly empty 16 MiB memory takes a few KiB', async () => {
  const memory = sparseMemory(256, 4, 2);
  const { file } = await encode({ memory });
  assert.equal(decodeHeader(file).codec, 'zstd', 'auto compresses small snapshots');
  assert.ok(decodeHeader(file).dataChunks <= 4);
  assert.ok(file.length < 8 * 1024, `${file.length} bytes`);
  assert.ok(Buffer.from((await decode(file, 256)).memory).equals(memory));
});

test('auto stores large snapshots raw, with the data on a page boundary', async () => {
  const memory = sparseMemory(100, 1000, 13);
  const { file } = await encode({ memory });
  const header = decodeHeader(file);
  assert.equal(header.codec, 'raw');
  assert.equal(header.dataOffset % chunkSize, 0);
  assert.equal(file.length, header.dataOffset + header.dataChunks * chunkSize + trailerBytes);
});

for (const [baseCompression, deltaCompression] of compressions.flatMap((b) => compressions.map((d) => [b, d] as const))) {
  test(`a delta (${deltaCompression}) stores only chunks that differ from its base image (${baseCompression})`, async () => {
    const baseMemory = sparseMemory(16, 100, 4);
    const base = await encode({ memory: baseMemory, asBase: true, compression: baseCompression });
    assert.ok(base.baseImage !== undefined);
    assert.ok(decodeHeader(base.file).hasChunkHashes);
    const memory = new Uint8Array(32 * page);
    memory.set(baseMemory);
    memory.fill(7, 3 * chunkSize, 5 * chunkSize); // two chunks changed
    memory.fill(9, 20 * page, 20 * page + 10); // one chunk in the grown part
    const firstFilled = baseMemory.findIndex((b) => b !== 0);
    memory.fill(0, firstFilled - (firstFilled % chunkSize), firstFilled - (firstFilled % chunkSize) + chunkSize); // one chunk cleared
    const delta = await encode({ memory, base: base.baseImage, compression: deltaCompression });
    const header = decodeHeader(delta.file);
    assert.equal(header.delta, true);
    assert.ok(header.dataChunks <= 3, `${header.dataChunks} chunks stored`);
    const restored = await decode(delta.file, 32, base.file);
    assert.ok(Buffer.from(restored.memory).equals(memory));
    assert.deepEqual(restored.baseImage?.snapshotId, base.baseImage.snapshotId, 'the restored instance keeps its base for later deltas');
    const hex = (hash: Uint8Array | undefined) => hash && Buffer.from(hash).toString('hex');
    for (let index = 0; index < 32 * page / chunkSize; index++) {
      assert.equal(hex(restored.baseImage?.hashOf(index)), hex(base.baseImage.hashOf(index)), `hash of chunk ${index}`);
    }
  });
}

test('a raw base image\'s chunks are checked one by one against their hashes when a delta uses only some of them', async () => {
  const baseMemory = sparseMemory(4, 30, 14);
  const base = await encode({ memory: baseMemory, asBase: true, compression: 'none' });
  const memory = baseMemory.slice();
  memory.fill(3, 0, chunkSize);
  const delta = await encode({ memory, base: base.baseImage, compression: 'none' });
  assert.ok(Buffer.from((await decode(delta.file, 4, base.file)).memory).equals(memory));
  const dataOffset = decodeHeader(base.file).dataOffset;
  const damaged = base.file.slice();
  damaged[dataOffset + chunkSize + 5]! ^= 1; // in the second stored chunk, which the delta uses
  await assert.rejects(decode(delta.file, 4, damaged), { code: 'SNAPSHOT_CORRUPT', message: /another hash/ });
});

test('a delta without its base image, or with another one, is refused', async () => {
  const baseMemory = sparseMemory(4, 10, 5);
  const base = await encode({ memory: baseMemory, asBase: true });
  const otherBase = await encode({ memory: baseMemory, asBase: true });
  const delta = await encode({ memory: baseMemory, base: base.baseImage });
  await assert.rejects(decode(delta.file, 4), { code: 'SNAPSHOT_BASE_MISSING' });
  await assert.rejects(decode(delta.file, 4, otherBase.file), { code: 'SNAPSHOT_BASE_MISSING' });
});

test('verifySnapshot checks the data too', async () => {
  const { file } = await encode({ memory: sparseMemory(4, 20, 15), compression: 'none' });
  await verifySnapshot(file, digest);
  const damaged = file.slice();
  damaged[decodeHeader(file).dataOffset + 100]! ^= 1;
  await assert.rejects(verifySnapshot(damaged, digest), { code: 'SNAPSHOT_CORRUPT', message: /failed its checksum/ });
});

test('a snapshot of another module or another format version is refused by name', async () => {
  const { file } = await encode({ memory: sparseMemory(1, 2, 9) });
  await assert.rejects(open(file, otherDigest), { code: 'SNAPSHOT_WRONG_MODULE', message: new RegExp(`taken from module ${digest}, not ${otherDigest}`) });
  const future = file.slice();
  future[8] = 5;
  await assert.rejects(open(future), { code: 'SNAPSHOT_VERSION', message: /format version 5; this engine reads version 4/ });
  // Version 3 checked its data with crc32; version 2 read its whole file before verifying anything.
  const old = file.slice();
  old[8] = 3;
  await assert.rejects(open(old), { code: 'SNAPSHOT_VERSION', message: /format version 3; this engine reads version 4/ });
});

/** `file` with its layout checksum recomputed after `change`: a lie the checksum cannot catch. */
function lyingLayout(file: Uint8Array, change: (view: DataView) => void): Uint8Array {
  const lie = file.slice();
  const view = new DataView(lie.buffer);
  change(view);
  const crcAt = decodeHeader(lie).dataOffset - 4;
  view.setUint32(crcAt, zlib.crc32(lie.subarray(0, crcAt)), true);
  return lie;
}

test('metadata that disagrees with the header is refused even when the checksum matches', async () => {
  for (const compression of compressions) {
    const { file } = await encode({ memory: sparseMemory(2, 5, 10), compression });
    const header = decodeHeader(file);
    const lie = lyingLayout(file, (view) => view.setUint32(92, header.dataChunks + 1, true)); // claims one more stored chunk
    await assert.rejects(decode(lie, 2), { code: 'SNAPSHOT_CORRUPT' });
  }
});

test('segments whose lengths lie are refused, in one-segment and many-segment data alike', async () => {
  for (const memory of [sparseMemory(2, 5, 11), sparseMemory(200, 3000, 12)]) {
    const { file } = await encode({ memory, compression: 'zstd' });
    const { memoryPages, dataOffset } = decodeHeader(file);
    for (const [field, delta] of [[0, 1], [4, -1], [4, chunkSize]] as const) {
      const lie = file.slice();
      const view = new DataView(lie.buffer);
      view.setUint32(dataOffset + field, view.getUint32(dataOffset + field, true) + delta, true);
      const trailer = lie.length - trailerBytes;
      lie.set(dataChecksum(lie.subarray(dataOffset, trailer)), trailer + 8);
      await assert.rejects(decode(lie, memoryPages), { code: 'SNAPSHOT_CORRUPT' });
    }
  }
});
