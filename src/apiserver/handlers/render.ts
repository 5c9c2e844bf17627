/**
 * Rendering objects and lists in the representation the client negotiated: JSON (built from
 * cached serializations where possible), YAML, Table, or metadata only.
 */
import { negotiate, type ResponseFormat } from '../http/media-type.ts';
import { RawJson, sendJson, sendYaml } from '../http/respond.ts';
import type { JsonObject, JsonValue } from '../json.ts';
import { metadataOf } from '../objects/object-meta.ts';
import type { StoredObject } from '../storage/stored-object.ts';
import { toTable, type IncludeObject } from '../table/table-convertor.ts';
import type { RequestContext } from './request-context.ts';

/** The representation asked for; Tables and metadata-only are offered for reads. */
export function responseFormat(ctx: RequestContext, reads: boolean): ResponseFormat {
  return negotiate(ctx.req.headers.accept, { table: reads, partialMetadata: reads });
}

/** Adds kube's `Warning: 299 - "..."` headers. */
export function addWarnings(ctx: RequestContext, warnings: readonly string[]): void {
  if (warnings.length > 0) ctx.res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

export function includeObjectOf(ctx: RequestContext): IncludeObject {
  const v = ctx.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Sends one object (already in the served version); `json` is its serialization when known. */
export function sendObject(ctx: RequestContext, status: number, obj: JsonObject, format: ResponseFormat, json?: string): void {
  switch (format.as) {
    case 'object':
      if (format.encoding === 'yaml') sendYaml(ctx.res, status, obj);
      else sendJson(ctx.res, status, json === undefined ? obj : new RawJson(json));
      return;
    case 'Table':
      sendJson(ctx.res, status, toTable(ctx.type, [obj], ctx.core.hooks, ctx.core.now(), {
        version: format.version, includeObject: includeObjectOf(ctx), noHeaders: false, listMetadata: { resourceVersion: metadataOf(obj).resourceVersion ?? '' },
      }));
      return;
    case 'PartialObjectMetadata':
      sendJson(ctx.res, status, partialMetadata(obj, format.version));
      return;
    case 'APIGroupDiscoveryList':
      throw new Error('discovery format negotiated for an object');
  }
}

/** Sends a list of stored objects with the given list metadata. */
export function sendList(ctx: RequestContext, items: readonly StoredObject[], listMetadata: JsonObject, format: ResponseFormat): void {
  const { type, core } = ctx;
  switch (format.as) {
    case 'object': {
      const apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
      const head = `{"kind":${JSON.stringify(type.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMetadata)},"items":[`;
      const body = new RawJson(`${head}${items.map((s) => core.resources.servedJson(type, s)).join(',')}]}`);
      if (format.encoding === 'yaml') sendYaml(ctx.res, 200, body);
      else sendJson(ctx.res, 200, body);
      return;
    }
    case 'Table':
      sendJson(ctx.res, 200, toTable(type, items.map((s) => core.resources.served(type, s)), core.hooks, core.now(), {
        version: format.version, includeObject: includeObjectOf(ctx), noHeaders: false, listMetadata,
      }));
      return;
    case 'PartialObjectMetadata':
      sendJson(ctx.res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${format.version}`,
        metadata: listMetadata,
        items: items.map((s) => partialMetadata(core.resources.served(type, s), format.version)),
      });
      return;
    case 'APIGroupDiscoveryList':
      throw new Error('discovery format negotiated for a list');
  }
}

export function partialMetadata(obj: JsonObject, version: string): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: metadataOf(obj) as JsonValue };
}
