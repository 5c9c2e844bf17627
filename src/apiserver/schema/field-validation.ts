import type { FieldValidation } from '../schema-hooks.ts';

/**
 * `fieldValidation` query parameter (the server's FieldValidation): what kube-apiserver does
 * with fields the schema does not know. Without the parameter the server behaves as `Warn`;
 * kubectl (1.27+) sends `Strict` unless run with `--validate=warn|ignore|false`; client-go
 * and @kubernetes/client-node send nothing, hence Warn.
 */
export type { FieldValidation };

/** What the server does about the unknown fields of one request. */
export type UnknownFieldOutcome =
  | { kind: 'accept' }
  | { kind: 'warn'; warnings: string[] }
  /** 400 BadRequest with `message`, as kube's strict decoder reports it. */
  | { kind: 'reject'; message: string };

/**
 * Turns the pruned paths of a request body (see `pruneUnknownFields`) into the server's
 * reaction: Strict refuses with `Gadget in version "v1" cannot be handled as a Gadget:
 * strict decoding error: unknown field "spec.foo"`, Warn accepts with one warning per field,
 * Ignore accepts silently.
 */
export function unknownFieldOutcome(unknown: readonly string[], mode: FieldValidation, kind: string, version: string): UnknownFieldOutcome {
  if (unknown.length === 0 || mode === 'Ignore') return { kind: 'accept' };
  const warnings = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (mode === 'Warn') return { kind: 'warn', warnings };
  return { kind: 'reject', message: `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${warnings.join(', ')}` };
}
