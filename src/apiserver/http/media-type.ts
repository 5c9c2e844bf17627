/**
 * Content negotiation: which representation a client asked for in `Accept` (JSON, YAML, a
 * server-side printed Table, metadata only, aggregated discovery), and how a request body is
 * encoded. Protobuf is not spoken: a client that accepts only protobuf gets 406.
 */
import { notAcceptable } from './api-error.ts';

export interface MediaRange {
  type: string;
  params: Readonly<Record<string, string>>;
  q: number;
}

/** What a response is rendered as. */
export type ResponseFormat =
  | { as: 'object'; encoding: 'json' | 'yaml' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'APIGroupDiscoveryList'; version: 'v2' | 'v2beta1' };

/** The media types this server can answer with, as a 406 names them. */
export const servedMediaTypes = 'application/json, application/yaml';

/** Parses a media type or an Accept list; q defaults to 1. */
export function parseMediaRanges(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [type, ...rawParams] = part.split(';').map((s) => s.trim());
    if (type === undefined || type === '') continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') q = Number(value);
      else params[key] = value;
    }
    ranges.push({ type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q });
  }
  // Stable: equal q keeps the client's order, which is how clients state their preference.
  return ranges.sort((a, b) => b.q - a.q);
}

/** The kinds of representation a handler can produce besides the plain object. */
export interface Renderable {
  table?: boolean;
  partialMetadata?: boolean;
  discovery?: boolean;
}

/** The first acceptable representation in the client's order; throws 406 if there is none. */
export function negotiate(accept: string | undefined, can: Renderable): ResponseFormat {
  if (accept === undefined || accept.trim() === '') return { as: 'object', encoding: 'json' };
  for (const range of parseMediaRanges(accept)) {
    if (range.q <= 0) continue;
    const format = formatFor(range, can);
    if (format !== undefined) return format;
  }
  throw notAcceptable(servedMediaTypes);
}

function formatFor(range: MediaRange, can: Renderable): ResponseFormat | undefined {
  const { type, params } = range;
  const isJson = type === 'application/json' || type === 'application/*' || type === '*/*';
  if (params.as === undefined) {
    if (isJson) return { as: 'object', encoding: 'json' };
    if (type === 'application/yaml') return { as: 'object', encoding: 'yaml' };
    return undefined;
  }
  if (!isJson) return undefined;
  const v = params.v;
  if (params.g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
    if (params.as === 'Table' && can.table === true) return { as: 'Table', version: v };
    if ((params.as === 'PartialObjectMetadata' || params.as === 'PartialObjectMetadataList') && can.partialMetadata === true) {
      return { as: 'PartialObjectMetadata', version: v };
    }
  }
  if (params.g === 'apidiscovery.k8s.io' && params.as === 'APIGroupDiscoveryList' && can.discovery === true && (v === 'v2' || v === 'v2beta1')) {
    return { as: 'APIGroupDiscoveryList', version: v };
  }
  return undefined;
}
