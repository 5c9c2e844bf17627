/**
 * The 403 a guest gets for a call outside its permissions, worded as kube-apiserver words an
 * RBAC denial, so that client code and people reading logs see what a cluster would say.
 */
import { isResourceRequest, type ApiRequest } from './api-request.ts';

/** A `metav1.Status` for a denied request, with the fields in kube's order. */
export interface ForbiddenStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: 'Forbidden';
  details: { name?: string; group?: string; kind?: string };
  code: 403;
}

/**
 * The user name a denial names. An operator is not a ServiceAccount unless the host
 * impersonates one, so it gets a name of its own, shaped like kube's
 * `system:serviceaccount:<namespace>:<name>` but without the reserved `system:` prefix.
 */
export function operatorUser(operator: { namespace?: string; name: string }): string {
  return operator.namespace === undefined ? `wasm-operator:operator:${operator.name}` : `wasm-operator:operator:${operator.namespace}:${operator.name}`;
}

/**
 * kube's authorizer message, e.g. `User "u" cannot create resource "configmaps" in API group ""
 * in the namespace "default"` (or `at the cluster scope`, or `cannot get path "/x"`).
 */
export function forbiddenMessage(request: ApiRequest, user: string): string {
  if (!isResourceRequest(request)) return `User ${JSON.stringify(user)} cannot ${request.verb} path ${JSON.stringify(request.path)}`;
  const resource = request.subresource === undefined ? request.resource : `${request.resource}/${request.subresource}`;
  const where = request.namespace === undefined ? 'at the cluster scope' : `in the namespace ${JSON.stringify(request.namespace)}`;
  return `User ${JSON.stringify(user)} cannot ${request.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(request.group)} ${where}`;
}

/**
 * The Status body kube-apiserver returns: `configmaps "x" is forbidden: <message>`, the
 * resource qualified by its group (`deployments.apps`), no name for collections, and
 * `forbidden: <message>` for non-resource paths. `reason`, when given, is appended after `: `
 * as kube appends its authorizers' reasons.
 */
export function forbiddenStatus(request: ApiRequest, user: string, reason?: string): ForbiddenStatus {
  const why = forbiddenMessage(request, user) + (reason === undefined || reason === '' ? '' : `: ${reason}`);
  const base = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' } as const;
  if (!isResourceRequest(request)) return { ...base, message: `forbidden: ${why}`, reason: 'Forbidden', details: {}, code: 403 };
  const qualified = request.group === '' ? request.resource : `${request.resource}.${request.group}`;
  const message = request.name === undefined ? `${qualified} is forbidden: ${why}` : `${qualified} ${JSON.stringify(request.name)} is forbidden: ${why}`;
  const details = {
    ...(request.name === undefined ? {} : { name: request.name }),
    ...(request.group === '' ? {} : { group: request.group }),
    kind: request.resource,
  };
  return { ...base, message, reason: 'Forbidden', details, code: 403 };
}
