import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiError } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { firstServiceIP, formatIPv4, parseIPv4, ServiceAllocator } from './service-allocator.ts';

const svc = (spec: JsonObject, uid = 'u1'): JsonObject => ({ metadata: { name: 's', uid }, spec });
const spec = (o: JsonObject): JsonObject => o.spec as JsonObject;

test('IPv4 addresses parse and print back, and malformed ones are refused', () => {
  assert.equal(formatIPv4(parseIPv4('10.96.0.1')!), '10.96.0.1');
  assert.equal(parseIPv4('10.96.0.256'), undefined);
  assert.equal(parseIPv4('010.1.1.1'), undefined);
  assert.equal(firstServiceIP(), '10.96.0.1');
});

test('a new Service gets a free cluster IP from above the static band, single-stack IPv4', () => {
  const allocator = new ServiceAllocator(() => [], undefined, () => 0);
  const created = spec(allocator.allocateCreate(svc({ ports: [{ port: 80 }] }), 's'));
  assert.deepEqual([created.clusterIP, created.clusterIPs, created.ipFamilies, created.ipFamilyPolicy], ['10.96.1.1', ['10.96.1.1'], ['IPv4'], 'SingleStack']);
});

test('allocations skip what stored Services hold, and a deleted one frees its IP', () => {
  const stored = [svc({ clusterIPs: ['10.96.1.1'], type: 'NodePort', ports: [{ port: 80, nodePort: 30086 }] }, 'other')];
  const allocator = new ServiceAllocator(() => stored, undefined, () => 0);
  const next = spec(allocator.allocateCreate(svc({ type: 'NodePort', ports: [{ port: 80 }, { port: 80, protocol: 'UDP' }] }), 's'));
  assert.equal(next.clusterIP, '10.96.1.2');
  assert.deepEqual((next.ports as JsonObject[]).map((p) => p.nodePort), [30087, 30087]);
  stored.length = 0;
  assert.equal(spec(allocator.allocateCreate(svc({ ports: [{ port: 80 }] }), 's')).clusterIP, '10.96.1.1');
});

test('headless and ExternalName Services get no cluster IP', () => {
  const allocator = new ServiceAllocator(() => []);
  assert.deepEqual(spec(allocator.allocateCreate(svc({ clusterIP: 'None', selector: { a: 'b' } }), 's')).clusterIPs, ['None']);
  const external = spec(allocator.allocateCreate(svc({ type: 'ExternalName', externalName: 'x.example.com' }), 's'));
  assert.deepEqual(Object.keys(external).sort(), ['externalName', 'type']);
});

test('IPv6 and dual-stack requests are refused as on an IPv4-only cluster', () => {
  const allocator = new ServiceAllocator(() => []);
  const refusal = (s: JsonObject) => {
    try {
      allocator.allocateCreate(svc(s), 's');
    } catch (err) {
      return (err as ApiError).message;
    }
    return 'allowed';
  };
  assert.equal(refusal({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 1 }] }), 'Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  assert.equal(refusal({ ipFamilies: ['IPv6'], ports: [{ port: 1 }] }), 'Service "s" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
});

test('an update keeps the allocated IP and node ports it leaves out, and a type change allocates', () => {
  const allocator = new ServiceAllocator(() => [], undefined, () => 0);
  const old = svc({ type: 'NodePort', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 80, nodePort: 30500 }] });
  const next = spec(allocator.allocateUpdate(svc({ type: 'NodePort', ports: [{ name: 'http', port: 8080 }] }), old, 's'));
  assert.deepEqual([next.clusterIP, (next.ports as JsonObject[])[0]!.nodePort], ['10.96.5.5', 30500]);
  const external = svc({ type: 'ExternalName', externalName: 'x' });
  assert.equal(spec(allocator.allocateUpdate(svc({ type: 'ClusterIP', ports: [{ port: 1 }] }), external, 's')).clusterIP, '10.96.1.1');
});

test('a type change drops what the old type needed and the update kept, and keeps what the update changed', () => {
  const allocator = new ServiceAllocator(() => []);
  const old = svc({
    type: 'NodePort', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
    externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30500 }],
  });
  const toClusterIP = spec(allocator.allocateUpdate(svc({ ...spec(old), type: 'ClusterIP' }), old, 's'));
  assert.deepEqual([toClusterIP.clusterIP, toClusterIP.ports, toClusterIP.externalTrafficPolicy], ['10.96.5.5', [{ port: 80 }], undefined]);
  const newPort = spec(allocator.allocateUpdate(svc({ ...spec(old), type: 'ClusterIP', ports: [{ port: 80, nodePort: 30501 }] }), old, 's'));
  assert.deepEqual(newPort.ports, [{ port: 80, nodePort: 30501 }], 'a node port the client set is left for validation to refuse');
  const toExternal = spec(allocator.allocateUpdate(svc({ ...spec(old), type: 'ExternalName', externalName: 'x.example.com', ports: [] }), old, 's'));
  assert.deepEqual(Object.keys(toExternal).sort(), ['externalName', 'ports', 'type']);
});
