/**
 * The in-cluster configuration: the pod's service account, as client-go's InClusterConfig reads it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfigError } from './errors.ts';
import type { RestConfig } from './rest-config.ts';

/** Where Kubernetes mounts a pod's service account token, CA bundle and namespace. */
export const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** True when `env` and the file system look like a pod: service host and port set, token present. */
export function runningInCluster(env: Readonly<Record<string, string | undefined>>, serviceAccountDir: string): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) && existsSync(path.join(serviceAccountDir, 'token'));
}

/**
 * The config for the pod's own service account. The token is given as a file, not a value,
 * because the kubelet rotates projected tokens (about hourly) under the running process.
 */
export async function inClusterConfig(env: Readonly<Record<string, string | undefined>>, serviceAccountDir: string): Promise<RestConfig> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeConfigError('in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT (is this running in a pod?)');
  }
  const tokenPath = path.join(serviceAccountDir, 'token');
  if (!existsSync(tokenPath)) {
    throw new KubeConfigError(`in-cluster configuration: no service account token at ${tokenPath} (is automountServiceAccountToken off?)`, { path: tokenPath });
  }
  const caPath = path.join(serviceAccountDir, 'ca.crt');
  let ca: string;
  try {
    ca = await readFile(caPath, 'utf8');
  } catch (err) {
    throw new KubeConfigError(`in-cluster configuration: cannot read the cluster CA ${caPath}`, { path: caPath }, err);
  }
  const namespace = (await readFile(path.join(serviceAccountDir, 'namespace'), 'utf8').catch(() => '')).trim();
  const hostPart = host.includes(':') ? `[${host}]` : host; // an IPv6 service address
  return {
    server: `https://${hostPart}:${port}`,
    source: 'in-cluster',
    namespace: namespace || 'default',
    tls: { ca, insecureSkipVerify: false },
    auth: { type: 'tokenFile', path: tokenPath },
  };
}
