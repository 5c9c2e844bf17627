/**
 * `GET /openapi/v2` negotiated as kube-openapi's handler does it: the first Accept clause (by
 * q) that names JSON or either spelling of the gnostic protobuf type wins (`*` matches
 * JSON first), anything else is a 406 with an empty body; the ETag answers If-None-Match
 * with 304.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseMediaRanges } from '../http/media-type.ts';
import type { OpenApiV2Document } from './openapi-v2.ts';

const protoTypes = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
const protoContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Chosen = 'json' | 'proto' | undefined;

function choose(accept: string | undefined): Chosen {
  for (const { type, q } of parseMediaRanges(accept === undefined || accept.trim() === '' ? '*/*' : accept)) {
    if (q <= 0) continue;
    const [major, minor] = type.split('/');
    if (major !== 'application' && major !== '*') continue;
    if (minor === 'json' || minor === '*') return 'json';
    if (protoTypes.includes(`application/${minor}`)) return 'proto';
  }
  return undefined;
}

export async function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, doc: OpenApiV2Document): Promise<void> {
  res.setHeader('Vary', 'Accept');
  const chosen = choose(req.headers.accept);
  if (chosen === undefined) {
    res.writeHead(406);
    res.end();
    return;
  }
  res.setHeader('Etag', doc.etag);
  res.setHeader('Content-Type', chosen === 'json' ? 'application/json' : protoContentType);
  if (req.headers['if-none-match'] === doc.etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  const body = chosen === 'json' ? Buffer.from(doc.json) : await doc.proto();
  res.writeHead(200, { 'Content-Length': body.length });
  res.end(body);
}
