import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeKubeProtobuf, ProtobufDecodeError } from './decode-kube-protobuf.ts';

// A minimal protobuf writer, enough to build the bodies client-go sends.
function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}
const field = (n: number, wire: number) => varint(BigInt((n << 3) | wire));
const str = (n: number, s: string) => bytes(n, [...Buffer.from(s)]);
const bytes = (n: number, b: number[]) => [...field(n, 2), ...varint(BigInt(b.length)), ...b];
const int = (n: number, v: number) => [...field(n, 0), ...varint(BigInt(v))];
const entry = (n: number, k: string, v: string) => bytes(n, [...str(1, k), ...str(2, v)]);
function envelope(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...bytes(1, [...str(1, apiVersion), ...str(2, kind)]), ...bytes(2, raw), ...str(3, ''), ...str(4, '')]);
}

const metadata = (name: string) => bytes(1, [...str(1, name), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...bytes(8, []), ...entry(11, 'app', 'web')]);

test('a ConfigMap decodes to the JSON kubectl would have sent, zero values left out', () => {
  const raw = [...metadata('cm1'), ...entry(2, 'a', 'b'), ...entry(3, 'bin', '\u0001')];
  assert.deepEqual(decodeKubeProtobuf(envelope('v1', 'ConfigMap', raw)), {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1', labels: { app: 'web' } }, data: { a: 'b' }, binaryData: { bin: 'AQ==' },
  });
});

test('pointer fields keep their zero values, int-or-string and times decode', () => {
  const rolling = bytes(2, [...bytes(1, [...int(1, 0), ...int(2, 25)]), ...bytes(2, [...int(1, 1), ...str(3, '50%')])]);
  const spec = bytes(2, [...int(1, 0), ...bytes(4, [...str(1, 'RollingUpdate'), ...rolling]), ...int(5, 0)]);
  const meta = bytes(1, [...str(1, 'web'), ...bytes(8, [...int(1, 1700000000)])]);
  assert.deepEqual(decodeKubeProtobuf(envelope('apps/v1', 'Deployment', [...meta, ...spec])), {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', creationTimestamp: '2023-11-14T22:13:20Z' },
    spec: { replicas: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 25, maxSurge: '50%' } } },
  });
});

test('an unknown field with a value, or an unknown kind, is refused rather than dropped', () => {
  const unknownField = [...metadata('x'), ...str(99, 'surprise')];
  assert.throws(() => decodeKubeProtobuf(envelope('v1', 'ConfigMap', unknownField)), (err: unknown) => err instanceof ProtobufDecodeError && err.unsupported && /field 99 of ConfigMap/.test(err.message));
  assert.deepEqual(decodeKubeProtobuf(envelope('v1', 'ConfigMap', [...metadata('x'), ...str(99, '')])).metadata, { name: 'x', labels: { app: 'web' } });
  assert.throws(() => decodeKubeProtobuf(envelope('batch/v1', 'Job', [])), /not batch\/v1\/Job; send it as JSON/);
});

test('a body without the envelope, or truncated, is malformed', () => {
  assert.throws(() => decodeKubeProtobuf(new Uint8Array([1, 2, 3, 4, 5])), (err: unknown) => err instanceof ProtobufDecodeError && !err.unsupported);
  const truncated = envelope('v1', 'ConfigMap', metadata('x')).subarray(0, 20);
  assert.throws(() => decodeKubeProtobuf(truncated), /malformed protobuf body/);
});
