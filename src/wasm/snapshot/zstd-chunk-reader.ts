/**
 * Reads zstd-compressed stored chunks into guest memory: the data is read whole, checked
 * against the trailer's checksum, then decompressed segment by segment, so a restore holds at
 * most a few 4 MiB segments of decompressed data besides the guest's memory.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.ts';
import { dataChecksum, sameChecksum } from './data-checksum.ts';
import { chunkSize, segmentBytes, segmentHeaderBytes } from './snapshot-format.ts';
import type { OpenedSnapshot } from './snapshot-file.ts';

interface Segment {
  frame: Uint8Array;
  rawLength: number;
}

/** The segments, bounds-checked against the data, each of whole chunks. */
function splitSegments(data: Uint8Array, dataChunks: number): Segment[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const found: Segment[] = [];
  let rawTotal = 0;
  for (let offset = 0; offset < data.length;) {
    if (offset + segmentHeaderBytes > data.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has data that ends inside a segment header');
    const compressedLength = view.getUint32(offset, true);
    const rawLength = view.getUint32(offset + 4, true);
    offset += segmentHeaderBytes;
    if (rawLength > segmentBytes || rawLength % chunkSize !== 0 || offset + compressedLength > data.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a segment that does not fit its data');
    found.push({ frame: data.subarray(offset, offset + compressedLength), rawLength });
    offset += compressedLength;
    rawTotal += rawLength;
  }
  if (rawTotal !== dataChunks * chunkSize) throw new SnapshotError('SNAPSHOT_CORRUPT', `has segments of ${rawTotal} bytes for ${dataChunks} stored chunks`);
  return found;
}

function checked(raw: Buffer, segment: Segment): Buffer {
  if (raw.length !== segment.rawLength) throw new SnapshotError('SNAPSHOT_CORRUPT', `has a segment of ${raw.length} bytes that declares ${segment.rawLength}`);
  return raw;
}

const decompress = promisify(zlib.zstdDecompress);

/** One output chunk of the segment's declared size (zlib's default of 16 KiB costs a copy per chunk), and no more. */
function outputLimits(segment: Segment): { chunkSize: number; maxOutputLength: number } {
  return { chunkSize: Math.max(64, segment.rawLength + 1), maxOutputLength: segment.rawLength + 1 };
}
/** Segments decompressed ahead, in the thread pool, while the main thread copies earlier ones. */
const lookahead = 2;

function decompressNow(segment: Segment): Buffer {
  try {
    return checked(zlib.zstdDecompressSync(segment.frame, outputLimits(segment)), segment);
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a segment that does not decompress', {}, err);
  }
}

/** Never rejects: a failure is held as a value until its turn, so none goes unhandled meanwhile. */
function decompressLater(segment: Segment): Promise<() => Buffer> {
  return decompress(segment.frame, outputLimits(segment)).then(
    (raw) => () => checked(raw, segment),
    (err: unknown) => () => {
      throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a segment that does not decompress', {}, err);
    });
}

/**
 * Decompressed segments in order. A small body (at most one segment's worth of raw bytes,
 * however many segments it has) is decompressed synchronously: a thread-pool round trip per
 * segment costs more than decompressing it. A larger one is decompressed in the thread pool,
 * two segments ahead of the one being copied, so decompression and copying overlap.
 */
async function* decompressed(found: Segment[]): AsyncGenerator<Buffer> {
  if (found.reduce((sum, segment) => sum + segment.rawLength, 0) <= segmentBytes) {
    for (const segment of found) yield decompressNow(segment);
    return;
  }
  const pending = new Map(found.slice(0, lookahead).map((segment, i) => [i, decompressLater(segment)]));
  for (let i = 0; i < found.length; i++) {
    if (i + lookahead < found.length) pending.set(i + lookahead, decompressLater(found[i + lookahead]!));
    const result = await pending.get(i)!;
    pending.delete(i);
    yield result();
  }
}

export async function readZstdChunks(snapshot: OpenedSnapshot, targets: Int32Array, memory: Uint8Array): Promise<void> {
  const data = new Uint8Array(snapshot.dataLength);
  await snapshot.bytes.read([data], snapshot.header.dataOffset);
  if (!sameChecksum(dataChecksum(data), snapshot.dataChecksum)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'failed its checksum');
  let k = 0;
  for await (const raw of decompressed(splitSegments(data, snapshot.header.dataChunks))) {
    for (let offset = 0; offset < raw.length; offset += chunkSize, k++) {
      const target = targets[k]!;
      if (target >= 0) memory.set(raw.subarray(offset, offset + chunkSize), target * chunkSize);
    }
  }
}
