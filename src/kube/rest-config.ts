/**
 * What a `KubeClient` needs to reach one API server: the resolved form of a kubeconfig
 * context or of the in-cluster service account. Plain data, so a test can write one by hand.
 */

/** TLS settings, PEM text already read from files or decoded from `*-data` fields. */
export interface TlsConfig {
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipVerify: boolean;
  /** Server name for SNI and certificate checks, when it differs from the server's host. */
  serverName?: string;
}

/** What an exec credential plugin is told about the cluster when `provideClusterInfo` is set. */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  config?: unknown;
}

/** An exec credential plugin (client.authentication.k8s.io/v1 or v1beta1), ready to run. */
export interface ExecPluginConfig {
  apiVersion: string;
  command: string;
  args: string[];
  /** Added to `baseEnv` for the plugin's process. */
  env: { name: string; value: string }[];
  /** The environment the plugin inherits (the CLI passes its own). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  installHint?: string;
  /** Present when the kubeconfig asks for `provideClusterInfo`. */
  cluster?: ExecClusterInfo;
}

/** How requests authenticate (client certificates from the kubeconfig live in `tls`). */
export type AuthConfig =
  | { type: 'none' }
  | { type: 'token'; token: string }
  /** Re-read periodically: projected service account tokens rotate under a running process. */
  | { type: 'tokenFile'; path: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'exec'; exec: ExecPluginConfig };

/** Act as another user (the `Impersonate-*` headers); the API server checks the caller may. */
export interface Impersonation {
  user: string;
  uid?: string;
  groups?: string[];
}

/** Everything needed to connect to one API server. */
export interface RestConfig {
  /** Base URL, e.g. `https://10.0.0.1:443` (a path prefix is kept, a trailing slash dropped). */
  server: string;
  /** Where this came from, for messages: `kubeconfig /home/me/.kube/config, context "kind"` or `in-cluster`. */
  source: string;
  /** The kubeconfig context used, if any. */
  context?: string;
  /** The default namespace: the context's, the service account's, or `default`. */
  namespace: string;
  tls: TlsConfig;
  auth: AuthConfig;
  /**
   * Proxy settings in the form Node's `http.Agent({proxyEnv})` reads (`HTTPS_PROXY`,
   * `HTTP_PROXY`, `NO_PROXY`): from the cluster's `proxy-url`, else from the environment.
   */
  proxyEnv?: Readonly<Record<string, string>>;
  impersonate?: Impersonation;
}
