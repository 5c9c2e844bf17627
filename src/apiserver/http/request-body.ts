/**
 * Reading and decoding request bodies: a size limit (kube-apiserver's 3 MiB), JSON or YAML
 * for objects, and clear 4xx answers for anything else.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { decodeKubeProtobuf, ProtobufDecodeError } from '../protobuf/decode-kube-protobuf.ts';
import { ApiError, badRequest, entityTooLarge, unsupportedMediaType } from './api-error.ts';
import { parseMediaRanges } from './media-type.ts';

const protobufType = 'application/vnd.kubernetes.protobuf';

function decodeProtobufBody(body: Buffer): JsonObject {
  try {
    return decodeKubeProtobuf(body);
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    throw err.unsupported ? new ApiError(415, 'UnsupportedMediaType', err.message) : badRequest(err.message);
  }
}

/** kube-apiserver's limit for a request body. */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/** The whole body; rejects with 413 beyond `limitBytes` (the rest is drained, not buffered). */
export function readBody(req: IncomingMessage, limitBytes = maxRequestBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    if (declared > limitBytes) {
      req.resume();
      reject(entityTooLarge(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(entityTooLarge(limitBytes)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** The base media type of a Content-Type header, lower-cased; `application/json` when absent. */
export function contentTypeOf(req: IncomingMessage): string {
  const header = req.headers['content-type'];
  if (header === undefined || header.trim() === '') return 'application/json';
  return parseMediaRanges(header)[0]?.type ?? 'application/json';
}

/** Parses JSON (or YAML when `yaml`) into any JSON value; malformed input is a 400. */
export function parseBody(body: Buffer, yaml: boolean): JsonValue {
  const text = body.toString('utf8');
  if (yaml) {
    try {
      return (parseYaml(text) ?? null) as JsonValue;
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/** Decodes an object body (create, update, DeleteOptions) sent as JSON or YAML. */
export async function readObjectBody(req: IncomingMessage): Promise<JsonObject> {
  const type = contentTypeOf(req);
  if (type === protobufType) return decodeProtobufBody(await readBody(req));
  if (type !== 'application/json' && type !== 'application/yaml' && type !== '*/*') {
    req.resume();
    throw unsupportedMediaType(`application/json, application/yaml, ${protobufType}`);
  }
  const value = parseBody(await readBody(req), type === 'application/yaml');
  if (!isJsonObject(value)) throw badRequest(`the body of the request must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}
