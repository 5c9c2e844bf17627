/** Per-operator permissions: RBAC-style rules, the request they are checked against, and the 403. */
export { isResourceRequest, parseApiRequest, type ApiRequest, type NonResourceRequest, type ResourceRequest } from './api-request.ts';
export { isAllowed, ruleAllows, type PolicyRule } from './policy-rule.ts';
export { forbiddenMessage, forbiddenStatus, operatorUser, type ForbiddenStatus } from './forbidden-status.ts';
