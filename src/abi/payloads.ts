/**
 * The JSON payloads a guest sends through the operator ABI (docs/abi.md), and their parsers.
 *
 * A payload that does not parse is a bug in the guest's SDK, not a run-time condition: the
 * parsers throw `AbiViolationError`, which traps the guest's current call.
 */
import { WasmOperatorError } from '../errors.ts';

/** A guest broke the ABI contract (bad JSON, wrong shape, wrong buffer); ends the current call. */
export class AbiViolationError extends WasmOperatorError {
  constructor(importName: string, problem: string) {
    super('ABI_VIOLATION', `guest broke the ABI in ${importName}: ${problem}; the call is abandoned`, { importName });
  }
}

export type JsonObjectPayload = Record<string, unknown>;

/** `kube_request`: one Kubernetes API request as the guest asked for it. */
export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  body?: unknown;
}

/** What `kube_request` answers: always a response, never a trap. */
export interface KubeResponse {
  status: number;
  body: unknown;
}

/** `cache_get`: one object of a watched or owned kind. */
export interface CacheGetRequest {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `cache_list`: objects of a watched or owned kind, optionally narrowed. */
export interface CacheListRequest {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

/** `set_result`: the outcome of the current `wo_init` or `wo_reconcile` call. */
export type GuestResult =
  | { kind: 'done' }
  | { kind: 'requeueAfter'; delayMs: number }
  | { kind: 'failed'; message: string; terminal: boolean };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `log`: one structured log line from the guest. */
export interface GuestLogRecord {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown>;
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const logLevels = new Set<string>(['debug', 'info', 'warn', 'error']);

function object(importName: string, bytes: Uint8Array): JsonObjectPayload {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new AbiViolationError(importName, `payload is not UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AbiViolationError(importName, 'payload must be a JSON object');
  }
  return value as JsonObjectPayload;
}

function text(importName: string, payload: JsonObjectPayload, field: string, required: true): string;
function text(importName: string, payload: JsonObjectPayload, field: string, required: false): string | undefined;
function text(importName: string, payload: JsonObjectPayload, field: string, required: boolean): string | undefined {
  const value = payload[field];
  if (value === undefined || value === null) {
    if (required) throw new AbiViolationError(importName, `field "${field}" is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new AbiViolationError(importName, `field "${field}" must be a string`);
  return value;
}

export function parseKubeRequest(bytes: Uint8Array): KubeRequest {
  const payload = object('kube_request', bytes);
  const method = text('kube_request', payload, 'method', true).toUpperCase();
  if (!methods.has(method)) throw new AbiViolationError('kube_request', `unsupported method "${method}"`);
  const path = text('kube_request', payload, 'path', true);
  if (!path.startsWith('/')) throw new AbiViolationError('kube_request', `path "${path}" must start with "/"`);
  const query: Record<string, string> = {};
  const rawQuery = payload.query;
  if (rawQuery !== undefined && rawQuery !== null) {
    if (typeof rawQuery !== 'object' || Array.isArray(rawQuery)) throw new AbiViolationError('kube_request', 'field "query" must be an object');
    for (const [key, value] of Object.entries(rawQuery)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new AbiViolationError('kube_request', `query parameter "${key}" must be a string`);
      }
      query[key] = String(value);
    }
  }
  const contentType = text('kube_request', payload, 'contentType', false) ?? 'application/json';
  return payload.body === undefined ? { method, path, query, contentType } : { method, path, query, contentType, body: payload.body };
}

function objectRefFields(importName: string, payload: JsonObjectPayload) {
  return {
    apiVersion: text(importName, payload, 'apiVersion', true),
    kind: text(importName, payload, 'kind', true),
    namespace: text(importName, payload, 'namespace', false),
  };
}

export function parseCacheGetRequest(bytes: Uint8Array): CacheGetRequest {
  const payload = object('cache_get', bytes);
  const { apiVersion, kind, namespace } = objectRefFields('cache_get', payload);
  const name = text('cache_get', payload, 'name', true);
  return namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, namespace, name };
}

export function parseCacheListRequest(bytes: Uint8Array): CacheListRequest {
  const payload = object('cache_list', bytes);
  const request: CacheListRequest = objectRefFields('cache_list', payload);
  if (request.namespace === undefined) delete request.namespace;
  const labelSelector = text('cache_list', payload, 'labelSelector', false);
  if (labelSelector !== undefined) request.labelSelector = labelSelector;
  return request;
}

export function parseGuestResult(bytes: Uint8Array): GuestResult {
  const payload = object('set_result', bytes);
  const kind = text('set_result', payload, 'kind', true);
  switch (kind) {
    case 'done':
      return { kind };
    case 'requeueAfter': {
      const delayMs = payload.delayMs;
      if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
        throw new AbiViolationError('set_result', 'requeueAfter needs a non-negative number "delayMs"');
      }
      return { kind, delayMs };
    }
    case 'failed':
      return { kind, message: text('set_result', payload, 'message', false) ?? 'reconcile failed', terminal: payload.terminal === true };
    default:
      throw new AbiViolationError('set_result', `unknown result kind "${kind}" (expected done, requeueAfter or failed)`);
  }
}

export function parseGuestLogRecord(bytes: Uint8Array): GuestLogRecord {
  const payload = object('log', bytes);
  const level = text('log', payload, 'level', false) ?? 'info';
  if (!logLevels.has(level)) throw new AbiViolationError('log', `unknown level "${level}" (expected debug, info, warn or error)`);
  const message = text('log', payload, 'message', false) ?? '';
  const fields = payload.fields;
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
    throw new AbiViolationError('log', 'field "fields" must be an object');
  }
  return { level: level as LogLevel, message, fields: (fields as Record<string, unknown> | undefined) ?? {} };
}
