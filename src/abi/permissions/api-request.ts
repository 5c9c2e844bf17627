/**
 * What a Kubernetes API call asks to do, worked out from its method and URL the way
 * kube-apiserver's `RequestInfoFactory` does, so that permission checks and 403 messages
 * agree with a real cluster's RBAC.
 */

/** A call on a resource: `verb` is RBAC's (get, list, watch, create, update, patch, delete, deletecollection). */
export interface ResourceRequest {
  verb: string;
  /** The API group: `""` for the core group (`/api/v1`). */
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  /** Absent for cluster-scoped resources. For `namespaces/<n>` it is `<n>`, as in kube. */
  namespace?: string;
  /** Absent for collections, and for creates (the name is in the body). */
  name?: string;
}

/** A call on any other path (discovery, `/version`, health). */
export interface NonResourceRequest {
  verb: string;
  path: string;
}

export type ApiRequest = ResourceRequest | NonResourceRequest;

/** True for a call on a resource. */
export function isResourceRequest(request: ApiRequest): request is ResourceRequest {
  return 'resource' in request;
}

const methodVerbs: Readonly<Record<string, string>> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

// Under /namespaces/<n>, these name a subresource of the namespace itself, not a resource in it.
const namespaceSubresources = new Set(['status', 'finalize']);

/**
 * Parses `method` and `url` (a path with an optional query; a full URL's origin is ignored),
 * plus `query` parameters given apart (as the ABI's `kube_request` gives them).
 * GET on a collection is `list`, or `watch` with a true `watch` parameter (or the legacy
 * `/watch/` prefix); DELETE on a collection is `deletecollection`; a list or watch with
 * `fieldSelector=metadata.name=<n>` is about object `<n>`, as kube's authorizer sees it.
 */
export function parseApiRequest(method: string, url: string, query: Readonly<Record<string, string>> = {}): ApiRequest {
  const parsed = new URL(url, 'http://host.invalid');
  for (const [key, value] of Object.entries(query)) parsed.searchParams.set(key, value);
  const path = parsed.pathname;
  const methodVerb = methodVerbs[method.toUpperCase()] ?? method.toLowerCase();
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const prefixLength = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : 0;
  if (prefixLength === 0 || parts.length <= prefixLength) return { verb: methodVerb, path };

  const group = parts[0] === 'api' ? '' : parts[1]!;
  const version = parts[prefixLength - 1]!;
  let rest = parts.slice(prefixLength);
  let verb = methodVerb;
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  if (rest.length === 0) return { verb: methodVerb, path };
  const [resource, objectName, subresource] = rest as [string, string | undefined, string | undefined];
  let name = objectName;
  if (name === undefined && verb === 'get') {
    verb = truthy(parsed.searchParams.get('watch')) ? 'watch' : 'list';
    name = exactName(parsed.searchParams.get('fieldSelector'));
  }
  if (name === undefined && verb === 'delete') verb = 'deletecollection';
  return {
    verb,
    group,
    version,
    resource,
    ...(subresource === undefined ? {} : { subresource }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
  };
}

// apimachinery decodes a boolean query parameter as false only for "", "0" and "false".
function truthy(value: string | null): boolean {
  return value !== null && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function exactName(fieldSelector: string | null): string | undefined {
  if (fieldSelector === null || fieldSelector.includes('\\')) return undefined;
  for (const term of fieldSelector.split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    const name = match?.[1];
    if (name !== undefined && name !== '' && name !== '.' && name !== '..' && !/[/%]/.test(name)) return name;
  }
  return undefined;
}
