/**
 * Encodes an instance's state as a snapshot file, streamed: the memory is read in place and
 * compressed one segment (4 MiB) at a time, so writing a snapshot holds at most one segment
 * besides the guest's memory, never a second copy of it. The caller must keep the memory
 * unchanged until the stream ends (the engine holds the instance's state lock).
 */
import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import zlib from 'node:zlib';
import { planChunks } from './chunk-plan.ts';
import type { BaseImage, ChunkPlan } from './chunk-plan.ts';
import { chunkKind, chunkSize, encodeHeader, encodeTrailer, segmentBytes, segmentHeaderBytes } from './snapshot-format.ts';
import type { SnapshotClock, SnapshotGlobal } from './snapshot-format.ts';

export interface SnapshotSource {
  moduleDigest: string;
  abiVersion: number;
  /** The whole linear memory (a multiple of 64 KiB). */
  memory: Uint8Array;
  globals: SnapshotGlobal[];
  /** The guest's clocks now (see SnapshotClock). */
  clock: SnapshotClock;
  /** Store only chunks that differ from this base image. */
  base?: BaseImage;
  /** Keep chunk hashes in the file and return a BaseImage: this snapshot becomes a base (the post-init image). */
  asBase?: boolean;
  /** 16 bytes naming the snapshot (default: random). */
  snapshotId?: Uint8Array;
  /** zstd level (default 1: fastest; snapshots are mostly zero pages and repeated structures). */
  compressionLevel?: number;
}

export interface EncodedSnapshot {
  /** Set when `asBase`: what later snapshots may be deltas against. */
  baseImage: BaseImage | undefined;
  /** The number of 4 KiB chunks whose bytes the file stores. */
  dataChunks: number;
  /** The file's bytes, in order. Read once. */
  chunks: AsyncIterable<Uint8Array>;
}


const smallPieceBytes = 127 * 1024;

export function encodeSnapshot(source: SnapshotSource): EncodedSnapshot {
  const plan = planChunks(source.memory, source.base, source.asBase === true);
  const snapshotId = source.snapshotId ?? new Uint8Array(randomBytes(16));
  const header = encodeHeader({
    delta: source.base !== undefined,
    hasChunkHashes: plan.hashes !== undefined,
    moduleDigest: source.moduleDigest,
    snapshotId,
    baseId: source.base?.snapshotId ?? new Uint8Array(16),
    abiVersion: source.abiVersion,
    memoryPages: source.memory.length / 65536,
    dataChunks: plan.dataChunks,
    clock: source.clock,
    globals: source.globals,
  });
  const baseImage = plan.hashes === undefined ? undefined : { snapshotId, chunkHashes: plan.hashes };
  return { baseImage, dataChunks: plan.dataChunks, chunks: fileChunks(header, bodyPieces(source.memory, plan), source.compressionLevel ?? 1) };
}

/** The uncompressed body: chunk map, runs of stored chunks (views of memory), hashes. */
function bodyPieces(memory: Uint8Array, plan: ChunkPlan): Uint8Array[] {
  const pieces: Uint8Array[] = [plan.kinds];
  const { kinds } = plan;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== chunkKind.data) continue;
    let end = i + 1;
    while (end < kinds.length && kinds[end] === chunkKind.data) end++;
    pieces.push(memory.subarray(i * chunkSize, end * chunkSize));
    i = end - 1;
  }
  if (plan.hashes !== undefined) {
    const indices = [...plan.hashes.keys()].sort((a, b) => a - b);
    const table = new Uint8Array(indices.length * 32);
    indices.forEach((index, n) => table.set(plan.hashes!.get(index)!, n * 32));
    pieces.push(table);
  }
  return pieces;
}

/**
 * Splits the body's pieces into segments of at most `segmentBytes`. A large piece (a run of
 * stored chunks) is cut into views of the guest's memory and never copied; small pieces (the
 * chunk map, short runs, hashes) are gathered into one copy of less than 128 KiB, so a sparse
 * memory does not become thousands of tiny frames.
 */
function* segments(pieces: Uint8Array[]): Generator<Uint8Array> {
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  const flush = function* () {
    if (group.length > 0) yield group.length === 1 ? group[0]! : Buffer.concat(group);
    group = [];
    groupBytes = 0;
  };
  for (const piece of pieces) {
    if (piece.length >= smallPieceBytes) {
      yield* flush();
      for (let offset = 0; offset < piece.length; offset += segmentBytes) yield piece.subarray(offset, offset + segmentBytes);
      continue;
    }
    if (groupBytes + piece.length > smallPieceBytes) yield* flush();
    group.push(piece);
    groupBytes += piece.length;
  }
  yield* flush();
}

/**
 * The compressed body: one zstd frame per segment of at most `segmentBytes` raw bytes, each
 * preceded by its compressed and raw lengths. A segment is compressed in one synchronous call
 * (faster than a round trip to the thread pool); between segments the event loop gets a
 * turn, so a large snapshot never blocks other guests for long.
 */
async function* compressed(pieces: Uint8Array[], level: number): AsyncGenerator<Uint8Array> {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
  let first = true;
  for (const raw of segments(pieces)) {
    if (!first) await setImmediate();
    first = false;
    const frame = zlib.zstdCompressSync(raw, { params });
    const lengths = new Uint8Array(segmentHeaderBytes);
    new DataView(lengths.buffer).setUint32(0, frame.length, true);
    new DataView(lengths.buffer).setUint32(4, raw.length, true);
    yield lengths;
    yield frame;
  }
}

async function* fileChunks(header: Uint8Array, pieces: Uint8Array[], level: number): AsyncGenerator<Uint8Array> {
  let crc = zlib.crc32(header);
  let bodyLength = 0;
  yield header;
  for await (const out of compressed(pieces, level)) {
    crc = zlib.crc32(out, crc);
    bodyLength += out.length;
    yield out;
  }
  yield encodeTrailer(bodyLength, crc);
}
