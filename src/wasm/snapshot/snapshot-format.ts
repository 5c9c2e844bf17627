/**
 * The snapshot file layout (docs/snapshot-format.md is the full description):
 *
 *   header  (uncompressed, little-endian; fixed part + one 9-byte entry per global)
 *   body    (zstd frames, one per 4 MiB segment, each after its two lengths; together they
 *            decompress to the chunk map, then the bytes of every `data` chunk, then, for a
 *            base image, the sha256 of every non-zero chunk)
 *   trailer (body length u64, crc32 of header+body u32, end magic "WOPE")
 *
 * Pure: bytes in, values out. Errors are SnapshotErrors with a code saying what is wrong.
 */
import zlib from 'node:zlib';
import { SnapshotError } from '../errors.ts';

export const snapshotMagic = Uint8Array.from([0x57, 0x4f, 0x50, 0x53, 0x4e, 0x41, 0x50, 0x00]); // "WOPSNAP\0"
export const trailerMagic = Uint8Array.from([0x57, 0x4f, 0x50, 0x45]); // "WOPE"
export const formatVersion = 2;
export const chunkSize = 4096;
export const fixedHeaderBytes = 116;
export const trailerBytes = 16;
export const hashBytes = 32;
/** The body is compressed in segments of at most this many raw bytes, each its own zstd frame. */
export const segmentBytes = 4 * 1024 * 1024;
/** Before each segment's frame: its compressed length and its raw length, u32 each. */
export const segmentHeaderBytes = 8;

/** What each 4 KiB chunk of memory holds, one byte per chunk in the chunk map. */
export const chunkKind = { zero: 0, data: 1, base: 2 } as const;

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
  /** The body ends with chunk hashes: this snapshot can serve as a base image. */
  hasChunkHashes: boolean;
  headerBytes: number;
  /** `sha256:<hex>` of the module the snapshot was taken from. */
  moduleDigest: string;
  snapshotId: Uint8Array;
  baseId: Uint8Array;
  abiVersion: number;
  memoryPages: number;
  /** How many chunks the body stores (the `data` entries of the chunk map). */
  dataChunks: number;
  clock: SnapshotClock;
  globals: SnapshotGlobal[];
}

function digestBytes(digest: string): Uint8Array {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (match === null) throw new TypeError(`module digest ${digest} is not sha256:<64 hex digits>`);
  return Buffer.from(match[1]!, 'hex');
}

export function encodeHeader(header: Omit<SnapshotHeader, 'version' | 'headerBytes'>): Uint8Array {
  const bytes = new Uint8Array(fixedHeaderBytes + header.globals.length * 9);
  const view = new DataView(bytes.buffer);
  bytes.set(snapshotMagic, 0);
  view.setUint16(8, formatVersion, true);
  view.setUint16(10, (header.delta ? flagDelta : 0) | (header.hasChunkHashes ? flagChunkHashes : 0), true);
  view.setUint32(12, bytes.length, true);
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
  header.globals.forEach((g, i) => {
    view.setUint8(fixedHeaderBytes + i * 9, globalTypeCodes[g.type]);
    view.setBigUint64(fixedHeaderBytes + i * 9 + 1, g.bits, true);
  });
  return bytes;
}

/** Decodes the header; checks magic, version and internal consistency, not the checksum. */
export function decodeHeader(file: Uint8Array): SnapshotHeader {
  if (file.length < 12 || !snapshotMagic.every((b, i) => file[i] === b)) {
    throw new SnapshotError(file.length < snapshotMagic.length ? 'SNAPSHOT_TRUNCATED' : 'SNAPSHOT_CORRUPT', 'is not a wasm-operator snapshot (bad magic)');
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint16(8, true);
  if (version !== formatVersion) throw new SnapshotError('SNAPSHOT_VERSION', `has format version ${version}; this engine reads version ${formatVersion}`);
  if (file.length < fixedHeaderBytes + trailerBytes) throw new SnapshotError('SNAPSHOT_TRUNCATED', `is ${file.length} bytes, shorter than any snapshot`);
  const flags = view.getUint16(10, true);
  const headerBytes = view.getUint32(12, true);
  const globalCount = view.getUint32(96, true);
  if (headerBytes !== fixedHeaderBytes + globalCount * 9 || headerBytes + trailerBytes > file.length) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'has an inconsistent header length');
  }
  if (view.getUint32(84, true) !== chunkSize) throw new SnapshotError('SNAPSHOT_CORRUPT', `has chunk size ${view.getUint32(84, true)}, not ${chunkSize}`);
  const typeNames = new Map<number, GlobalType>(Object.entries(globalTypeCodes).map(([k, v]) => [v, k as GlobalType]));
  const globals: SnapshotGlobal[] = [];
  for (let i = 0; i < globalCount; i++) {
    const type = typeNames.get(view.getUint8(fixedHeaderBytes + i * 9));
    if (type === undefined) throw new SnapshotError('SNAPSHOT_CORRUPT', `has an unknown type for global ${i}`);
    globals.push({ type, bits: view.getBigUint64(fixedHeaderBytes + i * 9 + 1, true) });
  }
  return {
    version, headerBytes, globals,
    delta: (flags & flagDelta) !== 0,
    hasChunkHashes: (flags & flagChunkHashes) !== 0,
    moduleDigest: `sha256:${Buffer.from(file.subarray(16, 48)).toString('hex')}`,
    // Copies (new Uint8Array), not views: a Buffer's slice() is a view, and would keep the whole file alive.
    snapshotId: new Uint8Array(file.subarray(48, 64)),
    baseId: new Uint8Array(file.subarray(64, 80)),
    abiVersion: view.getUint32(80, true),
    memoryPages: view.getUint32(88, true),
    dataChunks: view.getUint32(92, true),
    clock: { monotonicNs: view.getBigUint64(100, true), realtimeNs: view.getBigUint64(108, true) },
  };
}

export function encodeTrailer(bodyLength: number, crc: number): Uint8Array {
  const bytes = new Uint8Array(trailerBytes);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(bodyLength), true);
  view.setUint32(8, crc >>> 0, true);
  bytes.set(trailerMagic, 12);
  return bytes;
}

/**
 * Checks a whole snapshot file: magic, version, length (truncation), checksum, and that it
 * belongs to `expectedDigest`. Returns the header and the compressed body.
 */
export function verifySnapshot(file: Uint8Array, expectedDigest: string): { header: SnapshotHeader; body: Uint8Array } {
  const header = decodeHeader(file);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const trailerStart = file.length - trailerBytes;
  const declaredBody = view.getBigUint64(trailerStart, true);
  const complete = trailerMagic.every((b, i) => file[trailerStart + 12 + i] === b) && declaredBody === BigInt(trailerStart - header.headerBytes);
  if (!complete) throw new SnapshotError('SNAPSHOT_TRUNCATED', 'is incomplete (its trailer is missing or does not match its length)');
  const crc = zlib.crc32(file.subarray(0, trailerStart));
  if (crc !== view.getUint32(trailerStart + 8, true)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'failed its checksum');
  if (header.moduleDigest !== expectedDigest) {
    throw new SnapshotError('SNAPSHOT_WRONG_MODULE', `was taken from module ${header.moduleDigest}, not ${expectedDigest}`, { snapshotDigest: header.moduleDigest, moduleDigest: expectedDigest });
  }
  return { header, body: file.subarray(header.headerBytes, trailerStart) };
}
