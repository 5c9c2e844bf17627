/**
 * The snapshot file layout (docs/snapshot-format.md is the full description):
 *
 *   header    (fixed part + one 9-byte entry per global)
 *   metadata  (chunk map as runs, then, for a base image, the sha256 of every non-zero chunk)
 *   padding   (zeros, so that raw data starts on a 4 KiB boundary)
 *   crc32 of everything before it
 *   data      (the stored chunks: raw, in chunk order; or zstd segments of them)
 *   trailer   (data length u64, checksum of the data (data-checksum.ts) 128 bytes, end magic "WOPE")
 *
 * Everything a restore needs before it touches guest memory (header and metadata) comes first
 * and has its own checksum, so it is verified with one small read; raw data sits on page
 * boundaries, so a restore reads it straight into guest memory. Padding is zeros, but covered
 * by the checksum all the same: no byte of a snapshot goes unchecked.
 *
 * Pure: bytes in, values out. Errors are SnapshotErrors with a code saying what is wrong.
 */
import zlib from 'node:zlib';
import { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { SnapshotError } from '../errors.ts';
import { dataChecksumBytes } from './data-checksum.ts';

export const snapshotMagic = Uint8Array.from([0x57, 0x4f, 0x50, 0x53, 0x4e, 0x41, 0x50, 0x00]); // "WOPSNAP\0"
export const trailerMagic = Uint8Array.from([0x57, 0x4f, 0x50, 0x45]); // "WOPE"
export const formatVersion = 4;
export const chunkSize = 4096;
export const fixedHeaderBytes = 128;
export const trailerBytes = 8 + dataChecksumBytes + 4;
export const hashBytes = 32;
/** The crc32 that ends the layout (everything before the data). */
const layoutCrcBytes = 4;
/** zstd data is compressed in segments of at most this many raw bytes (whole chunks), each its own frame. */
export const segmentBytes = 4 * 1024 * 1024;
/** Before each segment's frame: its compressed length and its raw length, u32 each. */
export const segmentHeaderBytes = 8;

/** What each 4 KiB chunk of memory holds. */
export const chunkKind = { zero: 0, data: 1, base: 2 } as const;

/** How the data is stored: `raw` chunks on page boundaries, or `zstd` segments. */
export type SnapshotCodec = 'raw' | 'zstd';
const codecCodes: Record<SnapshotCodec, number> = { raw: 0, zstd: 1 };

const flagDelta = 1;
const flagChunkHashes = 2;
const globalTypeCodes = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
export type GlobalType = keyof typeof globalTypeCodes;

export interface SnapshotGlobal {
  type: GlobalType;
  /** The value's bit pattern, unsigned. */
  bits: bigint;
}

/**
 * The guest's clocks when the snapshot was taken: a restore continues the guest's monotonic
 * clock from `monotonicNs`, advanced by the wall time elapsed since `realtimeNs`, so it never
 * goes back (in another process, after a reboot, on another machine).
 */
export interface SnapshotClock {
  /** The monotonic clock as the guest saw it (WASI clock 1), in nanoseconds. */
  monotonicNs: bigint;
  /** The wall clock (WASI clock 0), nanoseconds since the Unix epoch. */
  realtimeNs: bigint;
}

export interface SnapshotHeader {
  version: number;
  /** Chunks of kind `base` come from the base image named by `baseId`. */
  delta: boolean;
  /** The metadata ends with chunk hashes: this snapshot can serve as a base image. */
  hasChunkHashes: boolean;
  headerBytes: number;
  /** `sha256:<hex>` of the module the snapshot was taken from. */
  moduleDigest: string;
  snapshotId: Uint8Array;
  baseId: Uint8Array;
  abiVersion: number;
  memoryPages: number;
  /** How many chunks the data holds (the `data` entries of the chunk map). */
  dataChunks: number;
  clock: SnapshotClock;
  codec: SnapshotCodec;
  /** Bytes of metadata after the header. */
  metadataBytes: number;
  /** Where the data starts in the file. */
  dataOffset: number;
  globals: SnapshotGlobal[];
}

/** A snapshot whose header and metadata are verified: what a decoder needs besides the data. */
export interface SnapshotLayout {
  header: SnapshotHeader;
  /** One chunkKind per chunk of memory. */
  kinds: Uint8Array;
  /** With chunk hashes: the sha256 of every non-zero chunk, in chunk order, 32 bytes each. */
  hashes: Uint8Array | undefined;
  dataLength: number;
  /** The data's checksum (data-checksum.ts), from the trailer. */
  dataChecksum: Uint8Array;
}

function digestBytes(digest: string): Uint8Array {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (match === null) throw new TypeError(`module digest ${digest} is not sha256:<64 hex digits>`);
  return Buffer.from(match[1]!, 'hex');
}

/** Where the data starts, given the header and metadata lengths: raw data on a chunk (page) boundary. */
export function dataOffsetFor(codec: SnapshotCodec, headerBytes: number, metadataBytes: number): number {
  const end = headerBytes + metadataBytes + layoutCrcBytes;
  return codec === 'raw' ? Math.ceil(end / chunkSize) * chunkSize : end;
}

/** The chunk map as runs (count, then kind and length of each): a mostly empty memory's map is a few bytes. */
function encodeMap(kinds: Uint8Array): Uint8Array {
  const runs = new ByteWriter(64);
  let count = 0;
  for (let i = 0; i < kinds.length;) {
    let end = i + 1;
    while (end < kinds.length && kinds[end] === kinds[i]) end++;
    runs.u8(kinds[i]!).u32(end - i);
    count++;
    i = end;
  }
  return new ByteWriter(runs.length + 5).u32(count).bytes(runs.finish()).finish();
}

/** Everything before the data: header, metadata (map and hashes), padding, and their crc32. */
export function encodeLayout(header: Omit<SnapshotHeader, 'version' | 'headerBytes' | 'hasChunkHashes' | 'metadataBytes' | 'dataOffset'>, kinds: Uint8Array, hashes: Uint8Array | undefined): Uint8Array {
  const headerBytes = fixedHeaderBytes + header.globals.length * 9;
  const map = encodeMap(kinds);
  const metadataBytes = map.length + (hashes?.length ?? 0);
  const dataOffset = dataOffsetFor(header.codec, headerBytes, metadataBytes);
  const bytes = new Uint8Array(dataOffset);
  const view = new DataView(bytes.buffer);
  bytes.set(snapshotMagic, 0);
  view.setUint16(8, formatVersion, true);
  view.setUint16(10, (header.delta ? flagDelta : 0) | (hashes !== undefined ? flagChunkHashes : 0), true);
  view.setUint32(12, headerBytes, true);
  bytes.set(digestBytes(header.moduleDigest), 16);
  bytes.set(header.snapshotId.subarray(0, 16), 48);
  bytes.set(header.baseId.subarray(0, 16), 64);
  view.setUint32(80, header.abiVersion, true);
  view.setUint32(84, chunkSize, true);
  view.setUint32(88, header.memoryPages, true);
  view.setUint32(92, header.dataChunks, true);
  view.setUint32(96, header.globals.length, true);
  view.setBigUint64(100, header.clock.monotonicNs, true);
  view.setBigUint64(108, header.clock.realtimeNs, true);
  view.setUint8(116, codecCodes[header.codec]);
  view.setUint32(120, metadataBytes, true);
  view.setUint32(124, dataOffset, true);
  header.globals.forEach((g, i) => {
    view.setUint8(fixedHeaderBytes + i * 9, globalTypeCodes[g.type]);
    view.setBigUint64(fixedHeaderBytes + i * 9 + 1, g.bits, true);
  });
  bytes.set(map, headerBytes);
  if (hashes !== undefined) bytes.set(hashes, headerBytes + map.length);
  view.setUint32(dataOffset - layoutCrcBytes, zlib.crc32(bytes.subarray(0, dataOffset - layoutCrcBytes)), true);
  return bytes;
}

export function encodeTrailer(dataLength: number, checksum: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(trailerBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(dataLength), true);
  bytes.set(checksum, 8);
  bytes.set(trailerMagic, trailerBytes - trailerMagic.length);
  return bytes;
}

/**
 * Decodes the header from the first bytes of a file of `fileSize` bytes; checks magic,
 * version and internal consistency (not the checksum). `head` may be as short as the fixed header.
 */
export function decodeHeader(head: Uint8Array, fileSize = head.length): SnapshotHeader {
  if (head.length < 12 || !snapshotMagic.every((b, i) => head[i] === b)) {
    throw new SnapshotError(head.length < snapshotMagic.length ? 'SNAPSHOT_TRUNCATED' : 'SNAPSHOT_CORRUPT', 'is not a wasm-operator snapshot (bad magic)');
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint16(8, true);
  if (version !== formatVersion) throw new SnapshotError('SNAPSHOT_VERSION', `has format version ${version}; this engine reads version ${formatVersion}`);
  if (head.length < fixedHeaderBytes || fileSize < fixedHeaderBytes + trailerBytes) throw new SnapshotError('SNAPSHOT_TRUNCATED', `is ${fileSize} bytes, shorter than any snapshot`);
  const flags = view.getUint16(10, true);
  const headerBytes = view.getUint32(12, true);
  const globalCount = view.getUint32(96, true);
  if (headerBytes !== fixedHeaderBytes + globalCount * 9) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has an inconsistent header length');
  if (view.getUint32(84, true) !== chunkSize) throw new SnapshotError('SNAPSHOT_CORRUPT', `has chunk size ${view.getUint32(84, true)}, not ${chunkSize}`);
  const codec = (Object.keys(codecCodes) as SnapshotCodec[]).find((c) => codecCodes[c] === view.getUint8(116));
  if (codec === undefined) throw new SnapshotError('SNAPSHOT_CORRUPT', `has an unknown codec ${view.getUint8(116)}`);
  const metadataBytes = view.getUint32(120, true);
  const dataOffset = view.getUint32(124, true);
  if (dataOffset !== dataOffsetFor(codec, headerBytes, metadataBytes)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has an inconsistent data offset');
  if (dataOffset + trailerBytes > fileSize) throw new SnapshotError('SNAPSHOT_TRUNCATED', `is ${fileSize} bytes, shorter than its header announces`);
  if (head.length < headerBytes) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'ends inside its header');
  const typeNames = new Map<number, GlobalType>(Object.entries(globalTypeCodes).map(([k, v]) => [v, k as GlobalType]));
  const globals: SnapshotGlobal[] = [];
  for (let i = 0; i < globalCount; i++) {
    const type = typeNames.get(view.getUint8(fixedHeaderBytes + i * 9));
    if (type === undefined) throw new SnapshotError('SNAPSHOT_CORRUPT', `has an unknown type for global ${i}`);
    globals.push({ type, bits: view.getBigUint64(fixedHeaderBytes + i * 9 + 1, true) });
  }
  return {
    version, headerBytes, globals, codec, metadataBytes, dataOffset,
    delta: (flags & flagDelta) !== 0,
    hasChunkHashes: (flags & flagChunkHashes) !== 0,
    moduleDigest: `sha256:${Buffer.from(head.subarray(16, 48)).toString('hex')}`,
    // Copies (new Uint8Array), not views: a Buffer's slice() is a view, and would keep the whole file alive.
    snapshotId: new Uint8Array(head.subarray(48, 64)),
    baseId: new Uint8Array(head.subarray(64, 80)),
    abiVersion: view.getUint32(80, true),
    memoryPages: view.getUint32(88, true),
    dataChunks: view.getUint32(92, true),
    clock: { monotonicNs: view.getBigUint64(100, true), realtimeNs: view.getBigUint64(108, true) },
  };
}

/** How many bytes from the file's start `parseLayout` needs: everything before the data. */
export function layoutBytes(header: SnapshotHeader): number {
  return header.dataOffset;
}

/**
 * Verifies and decodes everything but the data: `head` holds at least `layoutBytes` from the
 * file's start, `trailer` its last `trailerBytes`. Checks length (truncation), the checksum of
 * everything before the data, the module digest (unless `expectedDigest` is undefined: the
 * caller checks it later with `checkModuleDigest`), and that map, hashes and data length agree.
 */
export function parseLayout(head: Uint8Array, fileSize: number, trailer: Uint8Array, expectedDigest: string | undefined): SnapshotLayout {
  const header = decodeHeader(head, fileSize);
  const crcAt = header.dataOffset - layoutCrcBytes;
  if (head.length < header.dataOffset) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'ends inside its metadata');
  const trailerView = new DataView(trailer.buffer, trailer.byteOffset, trailer.byteLength);
  const dataLength = fileSize - trailerBytes - header.dataOffset;
  const complete = trailer.length === trailerBytes && trailerMagic.every((b, i) => trailer[trailerBytes - trailerMagic.length + i] === b) && trailerView.getBigUint64(0, true) === BigInt(dataLength);
  if (!complete) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'is incomplete (its trailer is missing or does not match its length)');
  const headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (zlib.crc32(head.subarray(0, crcAt)) !== headView.getUint32(crcAt, true)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'failed its checksum');
  if (expectedDigest !== undefined) checkModuleDigest(header, expectedDigest);
  const metadata = head.subarray(header.headerBytes, header.headerBytes + header.metadataBytes);
  const { kinds, mapBytes } = decodeMap(metadata, header);
  const hashes = header.hasChunkHashes ? new Uint8Array(metadata.subarray(mapBytes)) : undefined;
  const nonZero = kinds.reduce((n, kind) => n + (kind === chunkKind.zero ? 0 : 1), 0);
  if (metadata.length - mapBytes !== (hashes === undefined ? 0 : nonZero * hashBytes)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has chunk hashes that do not match its chunk map');
  if (header.codec === 'raw' && dataLength !== header.dataChunks * chunkSize) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', `holds ${dataLength} bytes of raw data for ${header.dataChunks} chunks`);
  }
  return { header, kinds, hashes, dataLength, dataChecksum: new Uint8Array(trailer.subarray(8, 8 + dataChecksumBytes)) };
}

export function checkModuleDigest(header: SnapshotHeader, expectedDigest: string): void {
  if (header.moduleDigest !== expectedDigest) {
    throw new SnapshotError('SNAPSHOT_WRONG_MODULE', `was taken from module ${header.moduleDigest}, not ${expectedDigest}`, { snapshotDigest: header.moduleDigest, moduleDigest: expectedDigest });
  }
}

function decodeMap(metadata: Uint8Array, header: SnapshotHeader): { kinds: Uint8Array; mapBytes: number } {
  const kinds = new Uint8Array(header.memoryPages * (65536 / chunkSize));
  const r = new ByteReader(metadata);
  let filled = 0;
  let data = 0;
  try {
    for (let runs = r.u32(); runs > 0; runs--) {
      const kind = r.u8();
      const length = r.u32();
      if (kind > chunkKind.base || (kind === chunkKind.base && !header.delta)) throw new SnapshotError('SNAPSHOT_CORRUPT', `has an invalid chunk map entry ${kind} at chunk ${filled}`);
      if (length === 0 || filled + length > kinds.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a chunk map longer than its memory');
      kinds.fill(kind, filled, filled + length);
      filled += length;
      if (kind === chunkKind.data) data += length;
    }
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a chunk map that does not parse', {}, err);
  }
  if (filled !== kinds.length) throw new SnapshotError('SNAPSHOT_CORRUPT', 'has a chunk map shorter than its memory');
  if (data !== header.dataChunks) throw new SnapshotError('SNAPSHOT_CORRUPT', `has ${data} stored chunks in its map, but its header says ${header.dataChunks}`);
  return { kinds, mapBytes: r.pos };
}
