/**
 * Turns an HTTP request into the handler that answers it: health, version, discovery,
 * OpenAPI, or a verb on a resource. Every failure, expected or not, is answered with a
 * Status; nothing a client sends can take the server down.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  aggregatedContentType, aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions,
} from './discovery/discovery.ts';
import type { OpenApiV2 } from './discovery/openapi-v2.ts';
import type { OpenApiV3 } from './discovery/openapi-v3.ts';
import { serveOpenApiV2 } from './discovery/serve-openapi-v2.ts';
import { versionInfo } from './discovery/version.ts';
import { handleCreate } from './handlers/create.ts';
import { handleDelete, handleDeleteCollection } from './handlers/delete.ts';
import { handleGet } from './handlers/get.ts';
import { handleList } from './handlers/list.ts';
import { handlePatch } from './handlers/patch.ts';
import type { RequestContext, ServerCore } from './handlers/request-context.ts';
import { handleScale } from './handlers/scale.ts';
import { handleUpdate } from './handlers/update.ts';
import { handleWatch } from './handlers/watch.ts';
import { methodNotAllowed, pathNotFound, unauthorized } from './http/api-error.ts';
import { negotiate } from './http/media-type.ts';
import { parseRequestPath, type ResourcePath } from './http/request-info.ts';
import { RawJson, sendError, sendJson } from './http/respond.ts';
import type { JsonValue } from './json.ts';
import type { Verb } from './registry/resource-type.ts';

export interface RouterOptions {
  /** When set, every API request must carry `Authorization: Bearer <token>`. */
  token?: string;
  openApi: OpenApiV3;
  openApiV2: OpenApiV2;
  /** host:port clients reach the server at, for `/api`'s serverAddressByClientCIDRs. */
  serverAddress(): string;
}

// Like kube-apiserver's public-info-viewer role: these answer without credentials.
const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version']);

export function createRequestRouter(core: ServerCore, options: RouterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(core, options, req, res).catch((err: unknown) => {
      req.resume();
      sendError(res, err);
    });
  };
}

async function route(core: ServerCore, options: RouterOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
  if (options.token !== undefined && !publicPaths.has(pathname) && !authorized(req, options.token)) throw unauthorized();
  if (pathname === '/healthz' || pathname === '/livez' || pathname === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  if (pathname === '/version') return sendRead(req, res, versionInfo());
  if (pathname === '/openapi/v2') {
    if (req.method !== 'GET') throw methodNotAllowed();
    return serveOpenApiV2(req, res, options.openApiV2.document());
  }
  if (pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/')) return serveOpenApi(req, res, url, options.openApi);
  const target = parseRequestPath(pathname);
  if (target.kind === 'other') throw pathNotFound();
  if (target.kind === 'discovery') {
    if (req.method !== 'GET') throw methodNotAllowed();
    return serveDiscovery(core, options, req, res, target);
  }
  return serveResource(core, req, res, url, target.path);
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendRead(req: IncomingMessage, res: ServerResponse, body: JsonValue): void {
  if (req.method !== 'GET') throw methodNotAllowed();
  sendJson(res, 200, body);
}

function serveOpenApi(req: IncomingMessage, res: ServerResponse, url: URL, openApi: OpenApiV3): void {
  if (req.method !== 'GET') throw methodNotAllowed();
  const key = url.pathname.replace(/^\/openapi\/v3\/?/, '');
  if (key === '') return sendJson(res, 200, openApi.root());
  const doc = openApi.document(key);
  if (doc === undefined) throw pathNotFound();
  const hash = url.searchParams.get('hash');
  if (hash !== null && hash !== doc.hash) {
    // As kube does: an outdated hash is redirected to the current document.
    res.writeHead(301, { Location: `/openapi/v3/${key}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' });
    res.end();
    return;
  }
  res.setHeader('Etag', `"${doc.hash}"`);
  if (hash !== null) res.setHeader('Cache-Control', 'public, immutable');
  sendJson(res, 200, new RawJson(doc.json));
}

function serveDiscovery(
  core: ServerCore, options: RouterOptions, req: IncomingMessage, res: ServerResponse,
  target: { group?: string; version?: string; legacy: boolean },
): void {
  const { registry } = core;
  if (target.group === undefined) {
    const format = negotiate(req.headers.accept, { discovery: true });
    if (format.as === 'APIGroupDiscoveryList') {
      return sendJson(res, 200, aggregatedDiscovery(registry, target.legacy, format.version), aggregatedContentType(format.version));
    }
    return sendJson(res, 200, target.legacy ? apiVersions(options.serverAddress()) : apiGroupList(registry));
  }
  const doc = target.version === undefined ? apiGroupDocument(registry, target.group) : apiResourceList(registry, target.group, target.version);
  if (doc === undefined) throw pathNotFound();
  sendJson(res, 200, doc);
}

async function serveResource(core: ServerCore, req: IncomingMessage, res: ServerResponse, url: URL, path: ResourcePath): Promise<void> {
  const type = core.registry.lookup(path.group, path.version, path.resource);
  if (type === undefined) throw pathNotFound();
  const { name, subresource } = path;
  if (!type.namespaced && path.namespace !== undefined) throw pathNotFound();
  const served = subresource === undefined || (subresource === 'status' && type.statusSubresource)
    || (subresource === 'scale' && type.scale !== undefined) || type.extraSubresources.includes(subresource);
  if (!served) throw pathNotFound();
  const query = url.searchParams;
  const watch = path.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
  const verb = verbOf(req.method ?? 'GET', name !== undefined, watch);
  if (verb === undefined || !type.verbs.includes(verb)) throw methodNotAllowed();
  const readsAndWrites = subresource === 'status' || subresource === 'scale';
  if (subresource !== undefined && verb !== 'update' && !(readsAndWrites && (verb === 'get' || verb === 'patch'))) throw methodNotAllowed();
  const namespace = path.namespace ?? '';
  if (type.namespaced && namespace === '' && verb !== 'list' && verb !== 'watch') {
    if (name !== undefined) throw pathNotFound();
    throw methodNotAllowed();
  }
  if (watch && name !== undefined) {
    const selector = query.get('fieldSelector');
    query.set('fieldSelector', `metadata.name=${name}${selector ? `,${selector}` : ''}`);
  }
  const ctx: RequestContext = { core, req, res, query, path, type, namespace: type.namespaced ? namespace : '' };
  if (subresource === 'scale') return handleScale(ctx, name!);
  switch (verb) {
    case 'get': return handleGet(ctx, name!);
    case 'list': return handleList(ctx);
    case 'watch': return handleWatch(ctx);
    case 'create': return handleCreate(ctx);
    case 'update': return handleUpdate(ctx, name!, subresource);
    case 'patch': return handlePatch(ctx, name!, subresource);
    case 'delete': return handleDelete(ctx, name!);
    case 'deletecollection': return handleDeleteCollection(ctx);
  }
}

function verbOf(method: string, named: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET': return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST': return named ? undefined : 'create';
    case 'PUT': return named ? 'update' : undefined;
    case 'PATCH': return named ? 'patch' : undefined;
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return undefined;
  }
}
