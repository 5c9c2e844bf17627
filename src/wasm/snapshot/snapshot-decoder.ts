/**
 * Decodes a verified snapshot into a fresh instance's memory: chunks of kind `data` are
 * copied from the body, chunks of kind `base` from the base image, and zero chunks are left
 * alone (the caller hands over memory that is zero wherever the snapshot has zero chunks).
 *
 * Large bodies are decompressed as a stream, so a restore holds at most one 256 KiB piece
 * of decompressed data besides the guest's memory itself.
 */
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.ts';
import type { BaseImage } from './chunk-plan.ts';
import { chunkKind, chunkSize, hashBytes } from './snapshot-format.ts';
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

const syncDecodeLimit = 8 * 1024 * 1024;

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

async function readBody(snapshot: VerifiedSnapshot, sink: BodySink): Promise<void> {
  const { header, body } = snapshot;
  const memoryChunks = (header.memoryPages * 65536) / chunkSize;
  const parser = new BodyParser(header, memoryChunks, sink);
  try {
    if (parser.expectedBytes <= syncDecodeLimit) {
      parser.push(zlib.zstdDecompressSync(body, { maxOutputLength: parser.expectedBytes + 1 }));
    } else {
      const stream = zlib.createZstdDecompress({ chunkSize: 256 * 1024 });
      stream.end(body);
      for await (const piece of stream) parser.push(piece as Buffer);
    }
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a body that does not decompress', {}, err);
  }
  parser.finish();
}

/** Splits the decompressed body, however it arrives in pieces, into map, chunks and hashes. */
class BodyParser {
  readonly expectedBytes: number;
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
    // An upper bound: how many hashes follow is known only once the map is read.
    this.expectedBytes = memoryChunks + header.dataChunks * chunkSize + (header.hasChunkHashes ? memoryChunks * hashBytes : 0);
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
