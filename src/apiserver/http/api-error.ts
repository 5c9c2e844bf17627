/**
 * Failures the API server answers with: each becomes a `Status` object worded as
 * kube-apiserver words it (k8s.io/apimachinery/pkg/api/errors), because kubectl prints these
 * messages verbatim and clients switch on `reason` and `code`.
 */
import { WasmOperatorError } from '../../errors.ts';
import { fieldErrorBody, formatFieldErrors, type FieldError } from '../field-error.ts';
import type { JsonObject } from '../json.ts';

/** The `reason` of a failed Status. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'InternalError'
  /** kube's "unknown" reason, which its Status then omits (e.g. a plain error from a patch library). */
  | '';

/** Names the object a Status is about; `kind` holds the resource for most reasons, as in kube. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message: string; field?: string }[];
  retryAfterSeconds?: number;
}

/** A group and resource, e.g. `{group: 'apps', resource: 'deployments'}`; printed `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A request that failed with a Kubernetes Status; the HTTP layer writes `status()` as the body. */
export class ApiError extends WasmOperatorError {
  readonly httpStatus: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  /** Set on a 410 for an expired continue token: where an inconsistent list could go on. */
  readonly continueToken: string | undefined;

  constructor(httpStatus: number, reason: StatusReason, message: string, details?: StatusDetails, options?: { cause?: unknown; continueToken?: string }) {
    super('API_STATUS', message, { httpStatus, reason }, options);
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.details = details;
    this.continueToken = options?.continueToken;
  }

  /** The `Status` object for this failure. */
  status(): JsonObject {
    const metadata: JsonObject = this.continueToken === undefined ? {} : { continue: this.continueToken };
    const status: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message: this.message };
    if (this.reason !== '') status.reason = this.reason;
    if (this.details !== undefined) status.details = this.details as JsonObject;
    status.code = this.httpStatus;
    return status;
  }
}

/** `configmaps`, or `deployments.apps` for a named group. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

function details(gr: GroupResource, name: string): StatusDetails {
  return gr.group === '' ? { name, kind: gr.resource } : { name, group: gr.group, kind: gr.resource };
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
}

/** The answer for a path the server does not serve at all. */
export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, details(gr, name));
}

/** kube's wording for a write based on a stale resourceVersion. */
export const staleObjectMessage = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * 422 Invalid, named by group and kind as kube names it: `ConfigMap "x" is invalid: ...`,
 * `Gadget.example.com "g" is invalid: ...` (kubectl rewrites the start to `The Gadget "g" is invalid`).
 */
export function invalid(kind: string, group: string, name: string, errors: readonly FieldError[]): ApiError {
  const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const det: StatusDetails = group === '' ? { name, kind, causes } : { name, group, kind, causes };
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${formatFieldErrors(errors)}`, det);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function forbidden(gr: GroupResource, name: string, why: string, causes?: StatusDetails['causes']): ApiError {
  const det = details(gr, name);
  if (causes !== undefined) det.causes = causes;
  return new ApiError(403, 'Forbidden', `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`, det);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** 410 for a watch or list that asks for history that was compacted away. */
export function expired(message: string, continueToken?: string): ApiError {
  return new ApiError(410, 'Expired', message, undefined, continueToken === undefined ? undefined : { continueToken });
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Gone', message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${contentType}`);
}

export function notAcceptable(accepted: string): ApiError {
  return new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted}`);
}

export function entityTooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function internalError(cause: unknown): ApiError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${why}`, { causes: [{ message: why }] }, { cause });
}

export function timeout(message: string, retryAfterSeconds: number, causes?: StatusDetails['causes']): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: ${message}`, causes === undefined ? { retryAfterSeconds } : { causes, retryAfterSeconds });
}
