/**
 * Encodes an instance's state as a snapshot file, streamed: the memory is read in place
 * (runs of stored chunks go to the compressor as views of the guest's memory), so writing
 * a snapshot never holds a second copy of the memory. The caller must keep the memory
 * unchanged until the stream ends (the engine holds the instance's state lock).
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { planChunks } from './chunk-plan.ts';
import type { BaseImage, ChunkPlan } from './chunk-plan.ts';
import { chunkKind, chunkSize, encodeHeader, encodeTrailer } from './snapshot-format.ts';
import type { SnapshotGlobal } from './snapshot-format.ts';

export interface SnapshotSource {
  moduleDigest: string;
  abiVersion: number;
  /** The whole linear memory (a multiple of 64 KiB). */
  memory: Uint8Array;
  globals: SnapshotGlobal[];
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

/** Below this much raw body, compress in one synchronous call (a thread-pool round trip costs more). */
const syncBodyLimit = 2 * 1024 * 1024;

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

async function* compressed(pieces: Uint8Array[], level: number): AsyncGenerator<Uint8Array> {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
  const rawBytes = pieces.reduce((n, p) => n + p.length, 0);
  if (rawBytes <= syncBodyLimit) {
    yield zlib.zstdCompressSync(Buffer.concat(pieces), { params });
    return;
  }
  const stream = zlib.createZstdCompress({ params, chunkSize: 256 * 1024 });
  const feeding = (async () => {
    for (const piece of pieces) if (!stream.write(piece)) await once(stream, 'drain');
    stream.end();
  })();
  feeding.catch((err: unknown) => stream.destroy(err as Error));
  for await (const out of stream) yield out as Buffer;
  await feeding;
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
