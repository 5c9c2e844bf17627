/** The kubeconfig that points kubectl and client libraries at an embedded server, as is. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { JsonObject } from './json.ts';

export interface KubeconfigOptions {
  url: string;
  /** PEM of the serving certificate's CA (TLS only). */
  caCertPem?: string;
  token?: string;
  /** Cluster, user and context name. */
  name?: string;
}

/** A complete kubeconfig (apiVersion v1, kind Config) with one cluster, user and context. */
export function buildKubeconfig(opts: KubeconfigOptions): JsonObject {
  const name = opts.name ?? 'wasm-operator';
  const cluster: JsonObject = { server: opts.url };
  if (opts.caCertPem !== undefined) cluster['certificate-authority-data'] = Buffer.from(opts.caCertPem).toString('base64');
  // Plain HTTP has nothing to verify, but @kubernetes/client-node refuses an http:// server
  // unless this is set; kubectl ignores it for http://.
  if (opts.url.startsWith('http://')) cluster['insecure-skip-tls-verify'] = true;
  const user: JsonObject = opts.token === undefined ? {} : { token: opts.token };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
}

/** Writes the kubeconfig as YAML, readable only by its owner (it may hold a token). */
export async function writeKubeconfig(path: string, kubeconfig: JsonObject): Promise<void> {
  await writeFile(path, stringify(kubeconfig), { mode: 0o600 });
}
