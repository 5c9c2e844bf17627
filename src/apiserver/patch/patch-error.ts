import { WasmOperatorError } from '../../errors.ts';

/** The `reason` kube-apiserver puts in the `Status` of a failed PATCH ('' is its "unknown"). */
export type PatchErrorReason = 'BadRequest' | 'Invalid' | 'UnsupportedMediaType' | 'RequestEntityTooLarge' | '';

/**
 * A patch that kube-apiserver would refuse, with the HTTP status, `reason` and message it would
 * answer with, so the PATCH handler can turn it into a `Status` without translating anything.
 *
 * `message` is the `Status.message` verbatim. Where kube-apiserver hides the cause (a failed JSON
 * patch answers only "the server rejected our request due to an error in our request"), `detail`
 * keeps it for logs; it must not be sent, or clients would see text a real cluster never shows.
 */
export class PatchError extends WasmOperatorError {
  readonly status: number;
  readonly reason: PatchErrorReason;
  readonly detail: string;

  constructor(status: number, reason: PatchErrorReason, message: string, detail: string = message, code = 'PATCH_REJECTED') {
    super(code, message, { status, reason, detail });
    this.status = status;
    this.reason = reason;
    this.detail = detail;
  }
}

/** 400 BadRequest: the patch document itself is malformed. */
export function badRequest(message: string): PatchError {
  return new PatchError(400, 'BadRequest', message);
}

/**
 * 422 Invalid with kube-apiserver's generic wording: its PATCH handler builds this with
 * `NewGenericServerResponse`, which drops the underlying message (kept here as `detail`).
 */
export function rejected(detail: string): PatchError {
  return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', detail);
}

/**
 * 500 with an empty reason: what kube-apiserver answers when the patch library fails with a
 * plain Go error (e.g. a merge list element without its merge key); kubectl prints
 * "Error from server: <message>".
 */
export function internal(message: string): PatchError {
  return new PatchError(500, '', message);
}

/** The patch content types kube-apiserver accepts for a custom resource, in the order it lists them. */
export const customResourcePatchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const;

/**
 * 415 UnsupportedMediaType: a strategic merge patch for a kind that has no patch metadata (every
 * custom resource). The message lists what the server would accept instead, as kube-apiserver's does.
 */
export class UnsupportedPatchTypeError extends PatchError {
  readonly kind: string;

  constructor(kind: string, accepted: readonly string[] = customResourcePatchTypes) {
    const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
    super(415, 'UnsupportedMediaType', message, `${kind} has no strategic merge patch metadata`, 'PATCH_TYPE_UNSUPPORTED');
    this.kind = kind;
  }
}
