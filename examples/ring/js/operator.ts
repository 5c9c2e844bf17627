/**
 * ring, in TypeScript: operator i watches the TestResources in namespace ring-i and copies
 * each one's nonce to the TestResource of the same name in ring-(i+1 mod N). N operators form
 * a ring: a nonce written into ring-0 travels through every operator and back (the prototype
 * paper's benchmark).
 */
import { api, cache, config, done, failed, isAlreadyExists, isNotFound, log } from 'wasm-operator/js';
import type { KubeObject, ReconcileRequest, Result } from 'wasm-operator/js';

const API_VERSION = 'ring.wasm-operator.dev/v1';
const KIND = 'TestResource';

interface TestResource extends KubeObject {
  spec?: { nonce?: string };
}

let ownNamespace = '';
let nextNamespace = '';

export function init(): Result {
  const { index = -1, size = 0, namespacePrefix = 'ring-' } = config<{ index?: number; size?: number; namespacePrefix?: string }>();
  if (!(size >= 1 && index >= 0 && index < size)) {
    return failed(`config needs 0 <= index < size; got index ${index}, size ${size}`, { terminal: true });
  }
  ownNamespace = `${namespacePrefix}${index}`;
  nextNamespace = `${namespacePrefix}${(index + 1) % size}`;
  return done();
}

export function reconcile(request: ReconcileRequest): Result {
  if (request.namespace !== ownNamespace) return done(); // another operator's part of the ring
  const source = cache.get<TestResource>(request);
  if (!source) return done();
  const nonce = source.spec?.nonce ?? '';
  const next = { apiVersion: API_VERSION, kind: KIND, namespace: nextNamespace, name: request.name };

  // Patch first: one request in the usual case. A patch that changes nothing is a no-op
  // without a watch event, so an unchanged nonce stops going round.
  try {
    api.patch(next, { spec: { nonce } });
    log.debug('passed nonce on', { to: nextNamespace, nonce });
    return done();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    api.create<TestResource>({ apiVersion: API_VERSION, kind: KIND, metadata: { name: request.name, namespace: nextNamespace }, spec: { nonce } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err; // created meanwhile: its own event follows
  }
  return done();
}
