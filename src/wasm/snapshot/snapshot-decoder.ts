/**
 * Decodes a verified snapshot into a fresh instance's memory: chunks of kind `data` are
 * copied from the body, chunks of kind `base` from the base image, and zero chunks are left
 * alone (the caller hands over memory that is zero wherever the snapshot has zero chunks).
 *
 * The body is decompressed segment by segment, so a restore holds at most a few 4 MiB
 * segments of decompressed data besides the guest's memory itself.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.ts';
import type { BaseImage } from './chunk-plan.ts';
import { chunkKind, chunkSize, hashBytes, segmentBytes, segmentHeaderBytes } from './snapshot-format.ts';
import type { SnapshotHeader } from './snapshot-format.ts';

export interface VerifiedSnapshot {
  header: SnapshotHeader;
  /** The compressed body. */
  body: Uint8Array;
}

/** Where the decoder writes: memory grown to `pages` and zero wherever the fresh instance wrote data segments. */
export interface RestoreTarget {
  prepare(pages: number): Uint8Array;
}

/** What one body holds, delivered in order; the views passed are only valid during the call (copy to keep). */
interface BodySink {
  map(kinds: Uint8Array): void;
  chunk(index: number, bytes: Uint8Array): void;
  hash(index: number, digest: Uint8Array): void;
}

/**
 * Restores `snapshot` (and, for a delta, its `base`) into `target`. Returns the globals to
 * apply and, when the snapshot chain carries chunk hashes, the base image that later
 * snapshots of this instance may be deltas against.
 */
export async function decodeSnapshot(snapshot: VerifiedSnapshot, target: RestoreTarget, base?: VerifiedSnapshot): Promise<{ baseImage: BaseImage | undefined }> {
  const { header } = snapshot;
  if (header.delta) {
    if (base === undefined) throw new SnapshotError('SNAPSHOT_BASE_MISSING', 'is a delta, and its base image is missing');
    if (base.header.delta || !base.header.hasChunkHashes || Buffer.compare(base.header.snapshotId, header.baseId) !== 0) {
      throw new SnapshotError('SNAPSHOT_BASE_MISSING', 'is a delta against a base image other than the one stored');
    }
  }
  const memory = target.prepare(header.memoryPages);
  let deltaKinds: Uint8Array | undefined;
  const hashes = new Map<number, Uint8Array>();
  await readBody(snapshot, {
    map: (kinds) => {
      deltaKinds = kinds;
    },
    chunk: (index, bytes) => memory.set(bytes, index * chunkSize),
    hash: (index, digest) => hashes.set(index, new Uint8Array(digest)),
  });
  if (!header.delta || base === undefined) {
    return { baseImage: header.hasChunkHashes ? { snapshotId: header.snapshotId, chunkHashes: hashes } : undefined };
  }
  const baseHashes = new Map<number, Uint8Array>();
  let baseKinds: Uint8Array | undefined;
  await readBody(base, {
    map: (kinds) => {
      baseKinds = kinds;
    },
    chunk: (index, bytes) => {
      if (deltaKinds![index] === chunkKind.base) memory.set(bytes, index * chunkSize);
    },
    hash: (index, digest) => baseHashes.set(index, new Uint8Array(digest)),
  });
  deltaKinds!.forEach((kind, index) => {
    if (kind === chunkKind.base && baseKinds![index] !== chunkKind.data) throw new SnapshotError('SNAPSHOT_CORRUPT', `refers to chunk ${index}, which its base image does not hold`);
  });
  return { baseImage: { snapshotId: base.header.snapshotId, chunkHashes: baseHashes } };
}

interface Segment {
  frame: Uint8Array;
  rawLength: number;
}

/** The body's segments, bounds-checked against the body. */
function splitSegments(body: Uint8Array): Segment[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const found: Segment[] = [];
  for (let offset = 0; offset < body.length;) {
    if (offset + segmentHeaderBytes > body.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a body that ends inside a segment header');
    const compressedLength = view.getUint32(offset, true);
    const rawLength = view.getUint32(offset + 4, true);
    offset += segmentHeaderBytes;
    if (rawLength > segmentBytes || offset + compressedLength > body.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a segment that does not fit its body');
    found.push({ frame: body.subarray(offset, offset + compressedLength), rawLength });
    offset += compressedLength;
  }
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
 * Decompresses the body segment by segment. A small body (at most one segment's worth of raw
 * bytes, however many segments it has) is decompressed synchronously: a thread-pool round trip
 * per segment costs more than decompressing it. A larger one is decompressed in the thread
 * pool, two segments ahead of the one being copied, so decompression and copying overlap on
 * separate cores and a restore holds at most three 4 MiB segments besides the guest's memory.
 */
async function readBody(snapshot: VerifiedSnapshot, sink: BodySink): Promise<void> {
  const parser = new BodyParser(snapshot.header, (snapshot.header.memoryPages * 65536) / chunkSize, sink);
  const found = splitSegments(snapshot.body);
  if (found.reduce((sum, segment) => sum + segment.rawLength, 0) <= segmentBytes) {
    for (const segment of found) parser.push(decompressNow(segment));
  } else {
    const pending = new Map(found.slice(0, lookahead).map((segment, i) => [i, decompressLater(segment)]));
    for (let i = 0; i < found.length; i++) {
      if (i + lookahead < found.length) pending.set(i + lookahead, decompressLater(found[i + lookahead]!));
      const result = await pending.get(i)!;
      pending.delete(i);
      parser.push(result());
    }
  }
  parser.finish();
}

/** Splits the decompressed body, however it arrives in pieces, into map, chunks and hashes. */
class BodyParser {
  readonly #header: SnapshotHeader;
  readonly #sink: BodySink;
  readonly #kinds: Uint8Array;
  readonly #hashOrder: number[] = [];
  readonly #dataOrder: number[] = [];
  #nextHash = 0;
  #nextData = 0;
  #received = 0;
  readonly #scratch = new Uint8Array(chunkSize);
  #scratchFill = 0;

  constructor(header: SnapshotHeader, memoryChunks: number, sink: BodySink) {
    this.#header = header;
    this.#sink = sink;
    this.#kinds = new Uint8Array(memoryChunks);
  }

  push(piece: Uint8Array): void {
    let offset = 0;
    while (offset < piece.length) {
      const want = this.#nextUnitSize();
      if (want === 0) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has more body bytes than its header announces');
      const take = Math.min(want - this.#scratchFill, piece.length - offset);
      if (this.#scratchFill === 0 && take === want) {
        this.#deliver(piece.subarray(offset, offset + want));
      } else {
        this.#scratch.set(piece.subarray(offset, offset + take), this.#scratchFill);
        this.#scratchFill += take;
        if (this.#scratchFill === want) {
          this.#deliver(this.#scratch.subarray(0, want));
          this.#scratchFill = 0;
        }
      }
      offset += take;
    }
  }

  finish(): void {
    if (this.#nextUnitSize() !== 0 || this.#scratchFill !== 0) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has fewer body bytes than its header announces');
  }

  /** The size of the next unit: the map (delivered in map-sized slices), a chunk, or a hash; 0 when done. */
  #nextUnitSize(): number {
    const mapLeft = this.#kinds.length - this.#received;
    if (mapLeft > 0) return Math.min(mapLeft, chunkSize);
    if (this.#nextData < this.#dataOrder.length) return chunkSize;
    if (this.#nextHash < this.#hashOrder.length) return hashBytes;
    return 0;
  }

  #deliver(unit: Uint8Array): void {
    if (this.#received < this.#kinds.length) {
      this.#kinds.set(unit, this.#received);
      this.#received += unit.length;
      if (this.#received === this.#kinds.length) this.#mapComplete();
      return;
    }
    if (this.#nextData < this.#dataOrder.length) return this.#sink.chunk(this.#dataOrder[this.#nextData++]!, unit);
    this.#sink.hash(this.#hashOrder[this.#nextHash++]!, unit);
  }

  #mapComplete(): void {
    let data = 0;
    this.#kinds.forEach((kind, index) => {
      if (kind > chunkKind.base || (kind === chunkKind.base && !this.#header.delta)) throw new SnapshotError('SNAPSHOT_CORRUPT', `has an invalid chunk map entry ${kind} at chunk ${index}`);
      if (kind === chunkKind.data) {
        this.#dataOrder.push(index);
        data++;
      }
      if (kind !== chunkKind.zero && this.#header.hasChunkHashes) this.#hashOrder.push(index);
    });
    if (data !== this.#header.dataChunks) throw new SnapshotError('SNAPSHOT_CORRUPT', `has ${data} stored chunks in its map, but its header says ${this.#header.dataChunks}`);
    this.#sink.map(this.#kinds);
  }
}
