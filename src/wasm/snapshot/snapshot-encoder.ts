/**
 * Encodes an instance's state as a snapshot file, streamed: stored chunks are written from the
 * guest's memory in place (raw) or compressed one segment (4 MiB) at a time (zstd), so
 * writing a snapshot never holds a second copy of the memory. The caller must keep the memory
 * unchanged until the stream ends (the engine holds the instance's state lock).
 */
import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import zlib from 'node:zlib';
import { baseImageFrom, planChunks } from './chunk-plan.ts';
import type { BaseImage, ChunkPlan } from './chunk-plan.ts';
import { DataChecksum } from './data-checksum.ts';
import { chunkKind, chunkSize, encodeLayout, encodeTrailer, segmentBytes, segmentHeaderBytes } from './snapshot-format.ts';
import type { SnapshotClock, SnapshotCodec, SnapshotGlobal } from './snapshot-format.ts';

/**
 * `zstd` makes the smallest files; `none` stores chunks raw, on page boundaries, so a restore
 * reads them straight into guest memory (zstd decompresses at about 1 GB/s, which would more
 * than double the restore of a large guest); `auto` compresses only snapshots whose stored
 * data is at most `autoCompressMaxBytes`, where decompressing costs a fraction of a millisecond.
 */
export type SnapshotCompression = 'auto' | 'zstd' | 'none';
export const autoCompressMaxBytes = 256 * 1024;

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
  /** Default `auto`. */
  compression?: SnapshotCompression;
  /** zstd level (default 1: fastest; snapshots are mostly repeated structures). */
  compressionLevel?: number;
}

export interface EncodedSnapshot {
  /** Set when `asBase`: what later snapshots may be deltas against. */
  baseImage: BaseImage | undefined;
  /** The number of 4 KiB chunks whose bytes the file stores. */
  dataChunks: number;
  codec: SnapshotCodec;
  /** The file's bytes, in order. Read once. */
  chunks: AsyncIterable<Uint8Array>;
}

const smallPieceBytes = 127 * 1024;
/** Raw data is handed to the writer in pieces of at most this much, checksummed one by one. */
const rawPieceBytes = 1024 * 1024;

function codecFor(compression: SnapshotCompression, dataChunks: number): SnapshotCodec {
  if (compression === 'auto') return dataChunks * chunkSize <= autoCompressMaxBytes ? 'zstd' : 'raw';
  return compression === 'zstd' ? 'zstd' : 'raw';
}

export function encodeSnapshot(source: SnapshotSource): EncodedSnapshot {
  const plan = planChunks(source.memory, source.base, source.asBase === true);
  const snapshotId = source.snapshotId ?? new Uint8Array(randomBytes(16));
  const codec = codecFor(source.compression ?? 'auto', plan.dataChunks);
  const layout = encodeLayout({
    delta: source.base !== undefined,
    moduleDigest: source.moduleDigest,
    snapshotId,
    baseId: source.base?.snapshotId ?? new Uint8Array(16),
    abiVersion: source.abiVersion,
    memoryPages: source.memory.length / 65536,
    dataChunks: plan.dataChunks,
    clock: source.clock,
    codec,
    globals: source.globals,
  }, plan.kinds, plan.hashes);
  const baseImage = plan.hashes === undefined ? undefined : baseImageFrom(snapshotId, plan.kinds, plan.hashes);
  const runs = storedRuns(source.memory, plan);
  const data = codec === 'raw' ? rawPieces(runs) : compressed(runs, source.compressionLevel ?? 1);
  return { baseImage, dataChunks: plan.dataChunks, codec, chunks: fileChunks(layout, data) };
}

/** Runs of stored chunks, as views of memory. */
function storedRuns(memory: Uint8Array, plan: ChunkPlan): Uint8Array[] {
  const runs: Uint8Array[] = [];
  const { kinds } = plan;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== chunkKind.data) continue;
    let end = i + 1;
    while (end < kinds.length && kinds[end] === chunkKind.data) end++;
    runs.push(memory.subarray(i * chunkSize, end * chunkSize));
    i = end - 1;
  }
  return runs;
}

function* rawPieces(runs: Uint8Array[]): Generator<Uint8Array> {
  for (const run of runs) {
    for (let offset = 0; offset < run.length; offset += rawPieceBytes) yield run.subarray(offset, offset + rawPieceBytes);
  }
}

/**
 * Splits the runs into segments of at most `segmentBytes`. A long run is cut into views of the
 * guest's memory and never copied; short runs are gathered into one copy of less than 128 KiB,
 * so a sparse memory does not become thousands of tiny frames.
 */
function* segments(runs: Uint8Array[]): Generator<Uint8Array> {
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  const flush = function* () {
    if (group.length > 0) yield group.length === 1 ? group[0]! : Buffer.concat(group);
    group = [];
    groupBytes = 0;
  };
  for (const run of runs) {
    if (run.length >= smallPieceBytes) {
      yield* flush();
      for (let offset = 0; offset < run.length; offset += segmentBytes) yield run.subarray(offset, offset + segmentBytes);
      continue;
    }
    if (groupBytes + run.length > smallPieceBytes) yield* flush();
    group.push(run);
    groupBytes += run.length;
  }
  yield* flush();
}

/**
 * zstd data: one frame per segment, each preceded by its compressed and raw lengths. A segment
 * is compressed in one synchronous call (faster than a round trip to the thread pool); between
 * segments the event loop gets a turn, so a large snapshot never blocks other guests for long.
 */
async function* compressed(runs: Uint8Array[], level: number): AsyncGenerator<Uint8Array> {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
  let first = true;
  for (const raw of segments(runs)) {
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

async function* fileChunks(layout: Uint8Array, data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const checksum = new DataChecksum();
  let dataLength = 0;
  yield layout;
  for await (const out of data) {
    checksum.update(out);
    dataLength += out.length;
    yield out;
  }
  yield encodeTrailer(dataLength, checksum.digest());
}
