/**
 * kube-apiserver's Service allocations, for a single-stack IPv4 cluster with the default
 * ranges: cluster IPs from 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service's) and node
 * ports from 30000-32767, with the same defaults and errors as kube's allocators
 * (pkg/registry/core/service/storage/alloc.go): `clusterIPs`, `ipFamilies` and
 * `ipFamilyPolicy` filled in, `None` for headless Services, none for ExternalName ones,
 * node ports for NodePort and LoadBalancer Services, and what an update leaves out carried
 * over from the current object.
 *
 * The allocations in use are read from the stored Services at each call rather than kept in
 * a bitmap: a deleted Service releases its IP and ports with nothing to forget, a dry run
 * reserves nothing, and a restarted server needs no repair pass. A scan per Service write is
 * cheap at the scale of a development cluster.
 */
import { invalid as invalidError } from '../http/api-error.ts';
import { childPath, indexPath, type FieldError } from '../field-error.ts';
import { goStringSlice } from '../go-format.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson } from '../json-members.ts';
import { internalError } from '../http/api-error.ts';
import { dropTypeDependentFields } from './service-type-change.ts';

/** The cluster's Service ranges (kube's `--service-cluster-ip-range` and `--service-node-port-range`). */
export interface ServiceRanges {
  /** IPv4 CIDR, e.g. `10.96.0.0/12`. */
  clusterIPRange: string;
  nodePortRange: { base: number; size: number };
}

export const defaultServiceRanges: ServiceRanges = { clusterIPRange: '10.96.0.0/12', nodePortRange: { base: 30000, size: 2768 } };

/** The first address of the cluster IP range, which kube gives the `kubernetes` Service. */
export function firstServiceIP(ranges: ServiceRanges = defaultServiceRanges): string {
  return formatIPv4(parseIPv4(ranges.clusterIPRange.split('/')[0]!)! + 1);
}

/** Every stored Service. */
export type ServicesInUse = () => Iterable<JsonObject>;

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

/** An IPv4 address as a number, or undefined when it is not one. */
export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const looksLikeIPv6 = (text: string): boolean => text.includes(':');

function serviceType(svc: JsonObject): string {
  return typeof obj(svc.spec).type === 'string' ? String(obj(svc.spec).type) : 'ClusterIP';
}

function needsNodePorts(svc: JsonObject): boolean {
  const type = serviceType(svc);
  return type === 'NodePort' || type === 'LoadBalancer';
}

function allocatesNewNodePorts(svc: JsonObject): boolean {
  return serviceType(svc) === 'NodePort' || (serviceType(svc) === 'LoadBalancer' && obj(svc.spec).allocateLoadBalancerNodePorts !== false);
}

function nodePortsOf(svc: JsonObject): number[] {
  const ports = list(obj(svc.spec).ports).map(obj).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n > 0);
  const hc = obj(svc.spec).healthCheckNodePort;
  return typeof hc === 'number' && hc > 0 ? [...ports, hc] : ports;
}

export class ServiceAllocator {
  readonly #base: number;
  readonly #size: number;
  readonly #cidr: string;
  readonly #ports: ServiceRanges['nodePortRange'];
  readonly #inUse: ServicesInUse;
  readonly #random: () => number;
  /** The uid of the Service being updated, whose own allocations are not in the way. */
  #updating: string | undefined;

  constructor(inUse: ServicesInUse, ranges: ServiceRanges = defaultServiceRanges, random: () => number = Math.random) {
    const [ip, bits] = ranges.clusterIPRange.split('/');
    this.#base = parseIPv4(ip!)!;
    this.#size = 2 ** (32 - Number(bits));
    this.#cidr = ranges.clusterIPRange;
    this.#ports = ranges.nodePortRange;
    this.#inUse = inUse;
    this.#random = random;
  }

  /** `svc` with its allocations, as a create stores it; throws kube's 422 when a requested one is taken or out of range. */
  allocateCreate(svc: JsonObject, name: string): JsonObject {
    const spec = cloneJson(obj(svc.spec));
    const next = { ...svc, spec };
    this.#initFamilies(spec, undefined, name);
    if (serviceType(next) !== 'ExternalName') this.#allocateClusterIP(spec, name);
    if (needsNodePorts(next)) this.#allocateNodePorts(spec, [], name, allocatesNewNodePorts(next));
    return next;
  }

  /**
   * `next` with what the update left out carried over from `old` (cluster IPs, node ports by
   * port name) and what a type change needs allocated (kube's patchAllocatedValues and
   * allocateUpdate). Releases need nothing: what `next` no longer holds is free once stored.
   */
  allocateUpdate(next: JsonObject, old: JsonObject, name: string): JsonObject {
    const spec = cloneJson(obj(next.spec));
    const oldSpec = obj(old.spec);
    const result = { ...next, spec };
    this.#updating = String(obj(old.metadata).uid ?? '');
    const headfulOld = serviceType(old) !== 'ExternalName';
    const headfulNew = serviceType(result) !== 'ExternalName';
    if (headfulOld && headfulNew) {
      if ((spec.clusterIP ?? '') === '' && typeof oldSpec.clusterIP === 'string') spec.clusterIP = oldSpec.clusterIP;
      if (list(spec.clusterIPs).length === 0 && list(oldSpec.clusterIPs).length > 0) spec.clusterIPs = oldSpec.clusterIPs!;
    }
    if (needsNodePorts(old) && needsNodePorts(result)) {
      const byName = new Map(list(oldSpec.ports).map(obj).map((p) => [String(p.name ?? ''), p.nodePort]));
      for (const p of list(spec.ports).map(obj)) {
        const carried = byName.get(String(p.name ?? ''));
        if ((p.nodePort ?? 0) === 0 && typeof carried === 'number') p.nodePort = carried;
      }
    }
    dropTypeDependentFields(spec, oldSpec);
    try {
      this.#initFamilies(spec, oldSpec, name);
      if (headfulNew && !headfulOld) this.#allocateClusterIP(spec, name);
      if (needsNodePorts(result)) this.#allocateNodePorts(spec, needsNodePorts(old) ? nodePortsOf(old) : [], name, allocatesNewNodePorts(result));
    } finally {
      this.#updating = undefined;
    }
    return result;
  }

  *#others(): Iterable<JsonObject> {
    for (const svc of this.#inUse()) if (this.#updating === undefined || obj(svc.metadata).uid !== this.#updating) yield svc;
  }

  // kube's initIPFamilyFields for a cluster configured for IPv4 only.
  #initFamilies(spec: JsonObject, oldSpec: JsonObject | undefined, name: string): void {
    if (spec.type === 'ExternalName') return;
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && list(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
    if (spec.ipFamilyPolicy === undefined) {
      const headlessNoSelector = spec.clusterIP === 'None' && Object.keys(obj(spec.selector)).length === 0;
      spec.ipFamilyPolicy = typeof oldSpec?.ipFamilyPolicy === 'string' ? oldSpec.ipFamilyPolicy : headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
    }
    const errors: FieldError[] = [];
    const ips = list(spec.clusterIPs).map(String);
    ips.forEach((ip, i) => {
      if (ip === 'None') return;
      if (parseIPv4(ip) === undefined && !looksLikeIPv6(ip)) {
        errors.push({ type: 'FieldValueInvalid', field: indexPath('spec.clusterIPs', i), value: ip, detail: 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' });
      } else if (looksLikeIPv6(ip)) {
        errors.push({ type: 'FieldValueInvalid', field: indexPath('spec.clusterIPs', i), valueText: goStringSlice(ips), detail: 'IPv6 is not configured on this cluster' });
      }
    });
    if (errors.length > 0) throw invalidError('Service', '', name, errors);
    const families = list(spec.ipFamilies).map(String);
    if (spec.clusterIP === 'None' && Object.keys(obj(spec.selector)).length === 0) {
      // Headless without a selector: any families are fine, the cluster's first by default.
      if (families.length === 0) families.push('IPv4');
      spec.ipFamilies = families;
      return;
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errors.push({ type: 'FieldValueInvalid', field: 'spec.ipFamilyPolicy', value: spec.ipFamilyPolicy, detail: 'this cluster is not configured for dual-stack services' });
    }
    families.forEach((f, i) => {
      if (f !== 'IPv4') errors.push({ type: 'FieldValueInvalid', field: indexPath('spec.ipFamilies', i), value: f, detail: 'not configured on this cluster' });
    });
    if (errors.length > 0) throw invalidError('Service', '', name, errors);
    spec.ipFamilies = families.length === 0 ? ['IPv4'] : families;
  }

  #allocateClusterIP(spec: JsonObject, name: string): void {
    const requested = list(spec.clusterIPs).map(String)[0] ?? '';
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
      return;
    }
    const used = new Set<number>();
    for (const svc of this.#others()) {
      for (const ip of list(obj(svc.spec).clusterIPs)) {
        const n = typeof ip === 'string' ? parseIPv4(ip) : undefined;
        if (n !== undefined) used.add(n);
      }
    }
    let ip: number;
    if (requested === '') {
      ip = this.#nextFree(used);
    } else {
      ip = parseIPv4(requested)!;
      const why = ip <= this.#base || ip >= this.#base + this.#size - 1
        ? `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.#cidr}`
        : used.has(ip) ? 'provided IP is already allocated' : undefined;
      if (why !== undefined) {
        throw invalidError('Service', '', name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', valueText: goStringSlice(list(spec.clusterIPs).map(String)), detail: `failed to allocate IP ${requested}: ${why}` }]);
      }
    }
    spec.clusterIP = formatIPv4(ip);
    spec.clusterIPs = [formatIPv4(ip)];
  }

  // Like kube, dynamic allocations come from above the static band that users pick from.
  #nextFree(used: Set<number>): number {
    const first = 1;
    const last = this.#size - 2;
    const staticBand = Math.min(Math.max(16, Math.floor(this.#size / 16)), 256);
    for (const [from, to] of [[first + staticBand, last], [first, first + staticBand - 1]] as const) {
      const span = to - from + 1;
      const start = Math.floor(this.#random() * span);
      for (let i = 0; i < span; i++) {
        const candidate = this.#base + from + ((start + i) % span);
        if (!used.has(candidate)) return candidate;
      }
    }
    throw internalError(new Error('failed to allocate a serviceIP: range is full'));
  }

  #allocateNodePorts(spec: JsonObject, alreadyHeld: readonly number[], name: string, allocateNew: boolean): void {
    const used = new Set<number>();
    for (const svc of this.#others()) for (const p of nodePortsOf(svc)) used.add(p);
    const { base, size } = this.#ports;
    const taken = new Set<number>(alreadyHeld);
    const byPort = new Map<number, number>();
    const ports = list(spec.ports).map(obj);
    ports.forEach((p, i) => {
      const requested = typeof p.nodePort === 'number' ? p.nodePort : 0;
      const port = typeof p.port === 'number' ? p.port : 0;
      if (requested === 0) {
        if (!allocateNew) return;
        // Ports that share a port number (TCP and UDP of one port) share a node port.
        const shared = byPort.get(port);
        p.nodePort = shared ?? this.#nextFreePort(used);
        used.add(p.nodePort);
        byPort.set(port, p.nodePort);
        return;
      }
      if (taken.has(requested) || byPort.get(port) === requested) {
        byPort.set(port, requested);
        return;
      }
      const why = requested < base || requested >= base + size
        ? `provided port is not in the valid range. The range of valid ports is ${base}-${base + size - 1}`
        : used.has(requested) ? 'provided port is already allocated' : undefined;
      if (why !== undefined) throw invalidError('Service', '', name, [{ type: 'FieldValueInvalid', field: childPath(indexPath('spec.ports', i), 'nodePort'), value: requested, detail: why }]);
      used.add(requested);
      taken.add(requested);
      byPort.set(port, requested);
    });
  }

  #nextFreePort(used: Set<number>): number {
    const { base, size } = this.#ports;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 32)), 128);
    for (const [from, to] of [[staticBand, size - 1], [0, staticBand - 1]] as const) {
      const span = to - from + 1;
      const start = Math.floor(this.#random() * span);
      for (let i = 0; i < span; i++) {
        const candidate = base + from + ((start + i) % span);
        if (!used.has(candidate)) return candidate;
      }
    }
    throw internalError(new Error('failed to allocate a nodePort: range is full'));
  }
}
