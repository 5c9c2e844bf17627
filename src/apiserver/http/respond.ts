/** Writing responses: JSON (possibly already serialized), YAML, and Status errors. */
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { JsonValue } from '../json.ts';
import { ApiError, internalError } from './api-error.ts';

/** JSON text already serialized (from a StoredObject's cache, or assembled from several). */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Sends a JSON body, serializing it unless it is RawJson. */
export function sendJson(res: ServerResponse, status: number, body: JsonValue | RawJson, contentType = 'application/json'): void {
  // Encoded once: measuring the UTF-8 length and then encoding would read a large list twice.
  const bytes = Buffer.from(body instanceof RawJson ? body.text : JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Sends a body as YAML, as kube does for `Accept: application/yaml`. */
export function sendYaml(res: ServerResponse, status: number, body: JsonValue | RawJson): void {
  const value = body instanceof RawJson ? (JSON.parse(body.text) as JsonValue) : body;
  const text = toYaml(value);
  res.writeHead(status, { 'Content-Type': 'application/yaml', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends any failure as a Status; anything that is not an ApiError is a 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  const apiError = err instanceof ApiError ? err : internalError(err);
  if (res.headersSent) {
    res.destroy(apiError);
    return;
  }
  sendJson(res, apiError.httpStatus, apiError.status());
}

