/**
 * What the host does for one operator's guest (the `AbiServices` of docs/abi.md): API calls
 * checked against its permissions, reads from its shared caches, and its log lines.
 */
import {
  forbiddenStatus,
  isAllowed,
  operatorUser,
  parseApiRequest,
  type AbiServices,
  type CacheGetRequest,
  type CacheListRequest,
  type GuestLogRecord,
  type KubeRequest as GuestKubeRequest,
  type KubeResponse as GuestKubeResponse,
  type PolicyRule,
} from '../../abi/index.ts';
import { describeError } from '../../errors.ts';
import type { Impersonation, KubeClient } from '../../kube/index.ts';
import type { Logger } from '../../log/index.ts';
import type { OperatorCaches } from './operator-caches.ts';

export interface OperatorServicesOptions {
  operator: { namespace: string; name: string };
  permissions: readonly PolicyRule[];
  kube: KubeClient;
  caches: OperatorCaches;
  logger: Logger;
  /** Budget of one guest API call, retries included. */
  requestTimeoutMs: number;
  /** Called for every request the guest makes (metrics). */
  onRequest?: (outcome: 'sent' | 'forbidden' | 'unavailable') => void;
  /** Send the guest's requests as this ServiceAccount of the operator's namespace (`spec.serviceAccountName`). */
  serviceAccountName?: string;
}

/**
 * The user a ServiceAccount authenticates as. Impersonating it without `Impersonate-Group`
 * makes the API server add the account's groups itself, and needs only the `impersonate`
 * verb on `serviceaccounts` (not on `users` or `groups`).
 */
export function serviceAccountUser(namespace: string, name: string): Impersonation {
  return { user: `system:serviceaccount:${namespace}:${name}` };
}

export function operatorServices(options: OperatorServicesOptions): AbiServices {
  const { operator, permissions, kube, caches, logger } = options;
  const who = `${operator.namespace}/${operator.name}`;
  const user = operatorUser(operator);
  const impersonate = options.serviceAccountName === undefined ? undefined : serviceAccountUser(operator.namespace, options.serviceAccountName);
  return {
    async kubeRequest(request: GuestKubeRequest): Promise<GuestKubeResponse> {
      const apiRequest = parseApiRequest(request.method, request.path, request.query);
      if (!isAllowed(permissions, apiRequest)) {
        options.onRequest?.('forbidden');
        logger.log('warn', 'guest.request.forbidden', { method: request.method, path: request.path });
        return { status: 403, body: forbiddenStatus(apiRequest, user) };
      }
      try {
        const response = await kube.request({
          method: request.method,
          path: request.path,
          query: request.query,
          ...(request.body === undefined ? {} : { body: request.body, contentType: request.contentType }),
          timeoutMs: options.requestTimeoutMs,
          ...(impersonate === undefined ? {} : { impersonate }),
        });
        options.onRequest?.('sent');
        return { status: response.status, body: response.body ?? response.text };
      } catch (err) {
        options.onRequest?.('unavailable');
        const message = `operator "${who}": ${request.method} ${request.path} got no answer from the API server: ${describeError(err)}`;
        logger.log('warn', 'guest.request.unavailable', { method: request.method, path: request.path, error: err });
        return {
          status: 503,
          body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 },
        };
      }
    },
    cacheGet(request: CacheGetRequest): unknown {
      return caches.get(request.apiVersion, request.kind, request.namespace, request.name) ?? null;
    },
    cacheList(request: CacheListRequest): unknown[] {
      return caches.list(request.apiVersion, request.kind, request.namespace, request.labelSelector);
    },
    log(record: GuestLogRecord): void {
      logger.log(record.level, 'guest.log', { message: record.message, ...record.fields });
    },
  };
}
