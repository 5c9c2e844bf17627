/**
 * Every failure the kube client reports, each with a stable code (see `WasmOperatorError`).
 */
import { WasmOperatorError } from '../errors.ts';

/** A kubeconfig (or in-cluster configuration) that cannot be used; the message names the file and the entry. */
export class KubeConfigError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super('KUBECONFIG_INVALID', message, context, { cause });
  }
}

/** An exec credential plugin that could not be run or answered something unusable. */
export class ExecCredentialError extends WasmOperatorError {
  constructor(command: string, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super('KUBE_EXEC_CREDENTIAL', `exec credential plugin "${command}" ${message}`, { command, ...context }, { cause });
  }
}

/** A cause in a Status' details (`field` is a path such as `spec.replicas`). */
export interface KubeStatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The `details` of a Kubernetes `Status`: which object, and the field-level causes. */
export interface KubeStatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: KubeStatusCause[];
  retryAfterSeconds?: number;
}

/** A Kubernetes `Status` object (meta/v1), as the API server sends it for errors. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: KubeStatusDetails;
}

/**
 * The API server answered with an error status. `status` is the HTTP status, `reason` the
 * Status' machine-readable reason (`NotFound`, `Conflict`, `Expired`...), `details` its causes.
 * When the body was not a Status (a proxy's HTML page, say), `reason` is derived from the
 * HTTP status as client-go does, and `message` quotes the start of the body.
 */
export class KubeApiError extends WasmOperatorError {
  readonly status: number;
  readonly reason: string;
  readonly details: KubeStatusDetails | undefined;
  /** The Status object as received (or as synthesised from a non-Status body). */
  readonly body: KubeStatus;

  constructor(method: string, path: string, status: number, body: KubeStatus) {
    const reason = body.reason ?? reasonForStatus(status);
    super('KUBE_API_ERROR', `${method} ${path} failed: ${status} ${reason}: ${body.message ?? ''}`.trimEnd(), {
      method,
      path,
      status,
      reason,
    });
    this.status = status;
    this.reason = reason;
    this.details = body.details;
    this.body = body;
  }
}

/**
 * The request never got an answer: the connection failed, was reset, or the call ran out of
 * time, after every retry the policy allows. `attempts` counts the tries made.
 */
export class KubeTransportError extends WasmOperatorError {
  readonly attempts: number;
  readonly timedOut: boolean;

  constructor(method: string, url: string, attempts: number, timedOut: boolean, cause: unknown) {
    const what = timedOut ? 'timed out' : 'failed';
    super(
      timedOut ? 'KUBE_TIMEOUT' : 'KUBE_UNREACHABLE',
      `${method} ${url} ${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${causeText(cause)}`,
      { method, url, attempts },
      { cause },
    );
    this.attempts = attempts;
    this.timedOut = timedOut;
  }
}

/** A watch stream that broke: cut mid-event, or a line that is not a watch event. */
export class WatchStreamError extends WasmOperatorError {
  constructor(path: string, message: string, cause?: unknown) {
    super('KUBE_WATCH_STREAM', `watch ${path}: ${message}`, { path }, { cause });
  }
}

/** Discovery knows no resource for this kind; the message suggests the usual cause. */
export class KindNotFoundError extends WasmOperatorError {
  constructor(apiVersion: string, kind: string, cause?: unknown) {
    super(
      'KUBE_KIND_NOT_FOUND',
      `the API server serves no kind "${kind}" in "${apiVersion}" (is its CustomResourceDefinition installed and established?)`,
      { apiVersion, kind },
      { cause },
    );
  }
}

/** A label selector that does not parse; the message quotes it and says where it went wrong. */
export class LabelSelectorError extends WasmOperatorError {
  /** What is wrong, without the selector (for a field error that already says where). */
  readonly problem: string;

  constructor(selector: string, problem: string) {
    super('KUBE_LABEL_SELECTOR', `label selector "${selector}": ${problem}`, { selector });
    this.problem = problem;
  }
}

/** An informer was stopped (its last subscriber left, or the host shut down) before it synced. */
export class InformerStoppedError extends WasmOperatorError {
  constructor(key: string) {
    super('KUBE_INFORMER_STOPPED', `informer ${key} was stopped before its first list completed`, { informer: key });
  }
}

/** True when `err` is an API error with HTTP status `status`. */
export function isApiStatus(err: unknown, status: number): err is KubeApiError {
  return err instanceof KubeApiError && err.status === status;
}

// The reasons client-go gives a status code when the body is not a Status (apimachinery's
// NewGenericServerResponse), so callers can switch on `reason` whatever answered.
function reasonForStatus(status: number): string {
  switch (status) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 413: return 'RequestEntityTooLarge';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return 'Unknown';
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code !== undefined && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
