/**
 * Splits a request path into what it addresses, the way kube-apiserver's RequestInfoFactory
 * does: `/api/v1/namespaces/ns/configmaps/name`, `/apis/apps/v1/deployments`,
 * `/api/v1/namespaces/ns` (a namespace), `/api/v1/namespaces/ns/status`, and the legacy
 * `/api/v1/watch/...` form.
 */

/** A resource request; `namespace` and `name` are absent when the path has none. */
export interface ResourcePath {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` prefix was used. */
  watchPath: boolean;
}

export type RequestTarget =
  | { kind: 'discovery'; group?: string; version?: string; legacy: boolean }
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'other' };

const namespaceSubresources = new Set(['status', 'finalize']);

/** Classifies a URL path; undecodable paths are `other` (answered 404). */
export function parseRequestPath(pathname: string): RequestTarget {
  let parts: string[];
  try {
    parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return { kind: 'other' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'discovery', legacy: true };
    if (parts.length === 2) return { kind: 'discovery', legacy: true, group: '', version: parts[1]! };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'discovery', legacy: false };
    if (parts.length === 2) return { kind: 'discovery', legacy: false, group: parts[1]! };
    if (parts.length === 3) return { kind: 'discovery', legacy: false, group: parts[1]!, version: parts[2]! };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'other' };
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return { kind: 'other' };
  const path: ResourcePath = { group, version, resource: rest[0]!, watchPath };
  if (rest[0] === 'namespaces' && namespace !== undefined && rest.length >= 2) {
    // `/api/v1/namespaces/{name}[/status]` addresses the namespace itself.
    path.name = rest[1]!;
    if (rest[2] !== undefined) path.subresource = rest[2];
  } else {
    if (namespace !== undefined) path.namespace = namespace;
    if (rest[1] !== undefined) path.name = rest[1];
    if (rest[2] !== undefined) path.subresource = rest[2];
  }
  return { kind: 'resource', path };
}
