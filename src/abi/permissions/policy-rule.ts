/**
 * An operator's permissions: RBAC-style rules and the check every API call from its guest
 * goes through before the host sends it.
 */
import { isResourceRequest, type ApiRequest, type ResourceRequest } from './api-request.ts';

/**
 * One rule, with RBAC's `PolicyRule` meaning plus `namespaces` (what a Role bound in each of
 * those namespaces would grant). `*` matches any group, resource or verb; a resource written as
 * `*` then `/status` matches the status subresource of any resource; `deployments/scale` one
 * subresource of one resource.
 * `resourceNames` restricts to named objects, so it never matches a create, list, watch or
 * deletecollection without a name (as in RBAC).
 */
export interface PolicyRule {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  /** Only these namespaces (never cluster-scoped objects); any namespace and the cluster scope when absent. */
  namespaces?: readonly string[];
  resourceNames?: readonly string[];
}

// What every authenticated user may read in a cluster (the system:discovery and
// system:public-info-viewer roles), so a guest may too.
const publicPaths = [/^\/apis?(\/.*)?$/, /^\/version\/?$/, /^\/openapi\/.+$/, /^\/(healthz|livez|readyz)(\/.*)?$/];

/** True when some rule allows `request`. Non-resource paths: only read-only discovery and health. */
export function isAllowed(rules: readonly PolicyRule[], request: ApiRequest): boolean {
  if (!isResourceRequest(request)) return request.verb === 'get' && publicPaths.some((re) => re.test(request.path));
  return rules.some((rule) => ruleAllows(rule, request));
}

/** True when `rule` alone allows `request`. */
export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  return (
    matchesOrStar(rule.verbs, request.verb) &&
    matchesOrStar(rule.apiGroups, request.group) &&
    resourceMatches(rule.resources, request.resource, request.subresource) &&
    (rule.resourceNames === undefined || rule.resourceNames.length === 0 || (request.name !== undefined && rule.resourceNames.includes(request.name))) &&
    (rule.namespaces === undefined || (request.namespace !== undefined && rule.namespaces.includes(request.namespace)))
  );
}

function matchesOrStar(allowed: readonly string[], wanted: string): boolean {
  return allowed.includes('*') || allowed.includes(wanted);
}

function resourceMatches(allowed: readonly string[], resource: string, subresource: string | undefined): boolean {
  const combined = subresource === undefined ? resource : `${resource}/${subresource}`;
  return allowed.some((r) => r === '*' || r === combined || (subresource !== undefined && r === `*/${subresource}`));
}
