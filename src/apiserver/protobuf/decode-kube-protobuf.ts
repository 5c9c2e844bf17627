/**
 * Decoding request bodies sent as `application/vnd.kubernetes.protobuf` (what kubectl's
 * generators and client-go's typed clients send for built-in kinds) into the same JSON the
 * server stores. The envelope is kube's: the bytes `k8s\0`, then a runtime.Unknown holding
 * the type and the encoded object.
 *
 * Fields follow Go's JSON rules for the same object: zero values of plain fields are left out
 * (as `omitempty` leaves them out), zero values of pointer fields are kept, zero times are
 * absent. Answers are always JSON, which every client that sends protobuf also accepts.
 */
import { WasmOperatorError } from '../../errors.ts';
import type { JsonObject, JsonValue } from '../json.ts';
import { kubeMessages, rootMessages, type FieldSpec } from './kube-messages.ts';
import { ProtoReader, ProtoWireError, type WireType } from './proto-reader.ts';

/** The body cannot be decoded here; the message says what (and that JSON works). */
export class ProtobufDecodeError extends WasmOperatorError {
  readonly unsupported: boolean;

  constructor(message: string, unsupported: boolean) {
    super('PROTOBUF_DECODE', message);
    this.unsupported = unsupported;
  }
}

const magic = [0x6b, 0x38, 0x73, 0x00];
const zeroTimeSeconds = -62135596800;

/** Decodes one enveloped object. Throws ProtobufDecodeError (unsupported: a kind or field this server does not decode). */
export function decodeKubeProtobuf(body: Uint8Array): JsonObject {
  if (body.length < 4 || magic.some((b, i) => body[i] !== b)) throw new ProtobufDecodeError('the protobuf body does not start with the Kubernetes envelope', false);
  try {
    let apiVersion = '';
    let kind = '';
    let raw: Uint8Array | undefined;
    const unknown = new ProtoReader(body.subarray(4));
    while (!unknown.done) {
      const { field, wire } = unknown.tag();
      if (field === 1 && wire === 2) {
        const typeMeta = new ProtoReader(unknown.bytes());
        while (!typeMeta.done) {
          const t = typeMeta.tag();
          if (t.field === 1 && t.wire === 2) apiVersion = text(typeMeta.bytes());
          else if (t.field === 2 && t.wire === 2) kind = text(typeMeta.bytes());
          else typeMeta.skip(t.wire);
        }
      } else if (field === 2 && wire === 2) raw = unknown.bytes();
      else unknown.skip(wire);
    }
    const root = rootMessages[`${apiVersion}/${kind}`];
    if (root === undefined) {
      throw new ProtobufDecodeError(`this server decodes protobuf only for ${Object.keys(rootMessages).join(', ')}, not ${apiVersion}/${kind}; send it as JSON`, true);
    }
    return { apiVersion, kind, ...decodeMessage(raw ?? new Uint8Array(), root) };
  } catch (err) {
    if (err instanceof ProtoWireError) throw new ProtobufDecodeError(`malformed protobuf body: ${err.message}`, false);
    throw err;
  }
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

function decodeMessage(bytes: Uint8Array, name: string): JsonObject {
  const fields = kubeMessages[name]!;
  const out: JsonObject = {};
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    const spec = fields[field];
    if (spec === undefined) {
      // Go writes every non-pointer field, zero or not; a zero one says nothing and is left out,
      // as Go's JSON leaves it out. Anything else would be lost: refuse rather than drop it.
      if (isZero(reader, wire)) continue;
      throw new ProtobufDecodeError(`this server cannot decode field ${field} of ${name} from protobuf; send the object as JSON (kubectl apply -f sends JSON)`, true);
    }
    if (spec.map) {
      const [key, value] = mapEntry(reader, wire, spec);
      const map = (out[spec.name] ??= {}) as JsonObject;
      map[key] = value;
    } else if (spec.repeated) {
      ((out[spec.name] ??= []) as JsonValue[]).push(value(reader, wire, spec) ?? null);
    } else {
      const v = value(reader, wire, spec);
      if (v !== undefined) out[spec.name] = v;
      else delete out[spec.name];
    }
  }
  return out;
}

function isZero(reader: ProtoReader, wire: WireType): boolean {
  if (wire === 0) return reader.varint() === 0n;
  if (wire === 2) return reader.bytes().length === 0;
  reader.skip(wire);
  return false;
}

function mapEntry(reader: ProtoReader, wire: WireType, spec: FieldSpec): [string, JsonValue] {
  expectWire(wire, 2, spec);
  const entry = new ProtoReader(reader.bytes());
  let key = '';
  let v: JsonValue = spec.type === 'string' || spec.type === 'bytes' || spec.type === 'quantity' ? '' : null;
  while (!entry.done) {
    const t = entry.tag();
    if (t.field === 1) key = text(entry.bytes());
    else if (t.field === 2) v = value(entry, t.wire, { ...spec, pointer: true }) ?? v;
    else entry.skip(t.wire);
  }
  return [key, v];
}

// One value; undefined when Go's JSON would leave it out.
function value(reader: ProtoReader, wire: WireType, spec: FieldSpec): JsonValue | undefined {
  const keep = spec.pointer === true || spec.repeated === true;
  switch (spec.type) {
    case 'string': {
      expectWire(wire, 2, spec);
      const s = text(reader.bytes());
      return s === '' && !keep ? undefined : s;
    }
    case 'bytes':
      expectWire(wire, 2, spec);
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool': {
      expectWire(wire, 0, spec);
      const b = reader.varint() !== 0n;
      return !b && !keep ? undefined : b;
    }
    case 'int32':
    case 'int64': {
      expectWire(wire, 0, spec);
      const n = reader.signed();
      return n === 0 && !keep ? undefined : n;
    }
    case 'time':
    case 'microTime':
      expectWire(wire, 2, spec);
      return timestamp(reader.bytes(), spec.type === 'microTime');
    case 'quantity':
      expectWire(wire, 2, spec);
      return firstString(reader.bytes());
    case 'fieldsV1': {
      expectWire(wire, 2, spec);
      const raw = firstString(reader.bytes());
      return raw === '' ? {} : (JSON.parse(raw) as JsonValue);
    }
    case 'intOrString':
      expectWire(wire, 2, spec);
      return intOrString(reader.bytes());
    default:
      expectWire(wire, 2, spec);
      return decodeMessage(reader.bytes(), spec.type);
  }
}

function expectWire(wire: WireType, expected: WireType, spec: FieldSpec): void {
  if (wire !== expected) throw new ProtoWireError(`field ${spec.name} has wire type ${wire}, expected ${expected}`);
}

function firstString(bytes: Uint8Array): string {
  const r = new ProtoReader(bytes);
  let s = '';
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1 && t.wire === 2) s = text(r.bytes());
    else r.skip(t.wire);
  }
  return s;
}

// kube encodes a zero time as an empty message (so the epoch itself cannot be told apart).
function timestamp(bytes: Uint8Array, micro: boolean): string | undefined {
  if (bytes.length === 0) return undefined;
  const r = new ProtoReader(bytes);
  let seconds = 0;
  let nanos = 0;
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1 && t.wire === 0) seconds = r.signed();
    else if (t.field === 2 && t.wire === 0) nanos = r.signed();
    else r.skip(t.wire);
  }
  if (seconds === zeroTimeSeconds && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function intOrString(bytes: Uint8Array): JsonValue {
  const r = new ProtoReader(bytes);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1 && t.wire === 0) type = r.signed();
    else if (t.field === 2 && t.wire === 0) intVal = r.signed();
    else if (t.field === 3 && t.wire === 2) strVal = text(r.bytes());
    else r.skip(t.wire);
  }
  return type === 1 ? strVal : intVal;
}
