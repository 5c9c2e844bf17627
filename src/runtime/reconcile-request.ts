/**
 * What a reconcile is about: one object of a watched kind, named by kind, namespace and name
 * (docs/abi.md, "reconcile"). Never an event: reconciling is level-based, so any number of
 * changes to one object collapse into one request.
 */

/** The object to reconcile. `namespace` is absent for cluster-scoped objects. */
export interface ReconcileRequest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The request as one string, for maps, queue deduplication and logs:
 * `example.com/v1 Website shop/web` (`name` alone when cluster-scoped). Unambiguous, since
 * API versions and kinds contain no spaces and namespaces no `/`.
 */
export function requestKey(request: ReconcileRequest): string {
  const where = request.namespace === undefined || request.namespace === '' ? request.name : `${request.namespace}/${request.name}`;
  return `${request.apiVersion} ${request.kind} ${where}`;
}
