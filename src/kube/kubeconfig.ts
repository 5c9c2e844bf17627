/**
 * Where the host's cluster configuration comes from, resolved into a `RestConfig`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfigError } from './errors.ts';
import { defaultServiceAccountDir, inClusterConfig, runningInCluster } from './in-cluster.ts';
import { mergeKubeConfigs, readKubeConfigFile, type KubeConfigCluster, type KubeConfigDocument, type KubeConfigUser } from './kubeconfig-file.ts';
import type { AuthConfig, ExecPluginConfig, RestConfig, TlsConfig } from './rest-config.ts';

/** The inputs the loader may look at; the CLI fills them from argv and the process. */
export interface KubeConfigSources {
  /** `--kubeconfig`: used alone, and it must exist. */
  explicitPath?: string;
  /** `--context`: overrides the kubeconfig's `current-context`. */
  context?: string;
  /**
   * The environment: `KUBECONFIG`, `KUBERNETES_SERVICE_HOST`/`_PORT`, proxy variables, and
   * the base environment of exec credential plugins.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** For `~/.kube/config`; without it that default is skipped. */
  homeDir?: string;
  /** Where the service account is mounted; defaults to Kubernetes' own path. */
  serviceAccountDir?: string;
}

/**
 * Finds and resolves the configuration, in the order controller-runtime uses:
 * 1. `explicitPath` (an error if it cannot be read);
 * 2. `KUBECONFIG`, a list of files separated by `path.delimiter`, merged as kubectl merges
 *    them (missing files are skipped, but at least one must exist);
 * 3. the in-cluster service account, when `KUBERNETES_SERVICE_HOST`/`_PORT` are set and a
 *    token is mounted;
 * 4. `<homeDir>/.kube/config`.
 * Files (certificates, keys, CA bundles) named by the kubeconfig are read now; the token file
 * is re-read by the client as it rotates. Fails with a `KubeConfigError` naming what was tried.
 */
export async function loadKubeConfig(sources: KubeConfigSources): Promise<RestConfig> {
  const { env } = sources;
  const serviceAccountDir = sources.serviceAccountDir ?? defaultServiceAccountDir;
  let files: string[];
  if (sources.explicitPath !== undefined) {
    files = [sources.explicitPath];
  } else if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '');
    files = listed.filter((f) => existsSync(f));
    if (files.length === 0) throw new KubeConfigError(`none of the files in KUBECONFIG exists: ${listed.join(', ')}`, { files: listed });
  } else if (runningInCluster(env, serviceAccountDir)) {
    const config = await inClusterConfig(env, serviceAccountDir);
    const proxyEnv = proxyFromEnv(env);
    return proxyEnv ? { ...config, proxyEnv } : config;
  } else {
    const home = sources.homeDir === undefined ? undefined : path.join(sources.homeDir, '.kube', 'config');
    if (home === undefined || !existsSync(home)) {
      throw new KubeConfigError(
        `no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, run in a pod, or create ${home ?? '~/.kube/config'}`,
      );
    }
    files = [home];
  }
  const docs = await Promise.all(files.map((f) => readKubeConfigFile(f)));
  return resolveContext(mergeKubeConfigs(docs), sources.context, files.join(path.delimiter), env);
}

/** Resolves one context of a (merged) kubeconfig into a `RestConfig`, reading the files it names. */
export async function resolveContext(
  doc: KubeConfigDocument,
  contextName: string | undefined,
  from: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RestConfig> {
  const name = contextName ?? doc.currentContext;
  if (name === undefined) throw new KubeConfigError(`kubeconfig ${from} has no current-context; pass --context`, { path: from });
  const context = doc.contexts.get(name);
  if (context === undefined) {
    throw new KubeConfigError(`kubeconfig ${from} has no context "${name}" (it has: ${[...doc.contexts.keys()].join(', ') || 'none'})`, { path: from, context: name });
  }
  const source = `kubeconfig ${from}, context "${name}"`;
  const cluster = context.cluster === undefined ? undefined : doc.clusters.get(context.cluster);
  if (cluster === undefined) throw new KubeConfigError(`${source}: cluster "${context.cluster ?? ''}" is not defined`, { path: from, context: name });
  if (!cluster.server) throw new KubeConfigError(`${source}: cluster "${context.cluster}" has no server`, { path: from, context: name });
  let user: KubeConfigUser = {};
  if (context.user) {
    const found = doc.users.get(context.user);
    if (found === undefined) throw new KubeConfigError(`${source}: user "${context.user}" is not defined`, { path: from, context: name });
    user = found;
  }
  const fail = (problem: string, cause?: unknown): never => {
    throw new KubeConfigError(`${source}: ${problem}`, { path: from, context: name }, cause);
  };
  const server = cluster.server.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(server)) fail(`server "${cluster.server}" must be an http:// or https:// URL`);
  const tls: TlsConfig = {
    insecureSkipVerify: cluster['insecure-skip-tls-verify'] === true,
    ...pem('ca', await material(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate authority', fail)),
    ...pem('cert', await material(user['client-certificate-data'], user['client-certificate'], 'client certificate', fail)),
    ...pem('key', await material(user['client-key-data'], user['client-key'], 'client key', fail)),
    ...(cluster['tls-server-name'] ? { serverName: cluster['tls-server-name'] } : {}),
  };
  if ((tls.cert === undefined) !== (tls.key === undefined)) fail('a client certificate needs both a certificate and a key');
  const config: RestConfig = {
    server,
    source,
    context: name,
    namespace: context.namespace || 'default',
    tls,
    auth: authFor(user, cluster, server, env, fail),
  };
  const proxyUrl = cluster['proxy-url'];
  if (proxyUrl) {
    if (!/^https?:\/\//.test(proxyUrl)) fail(`proxy-url "${proxyUrl}" is not supported: only http:// and https:// proxies are`);
    config.proxyEnv = { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
  } else {
    const proxyEnv = proxyFromEnv(env);
    if (proxyEnv) config.proxyEnv = proxyEnv;
  }
  if (user.as) config.impersonate = { user: user.as, ...(user['as-uid'] ? { uid: user['as-uid'] } : {}), ...(user['as-groups']?.length ? { groups: user['as-groups'] } : {}) };
  return config;
}

function authFor(
  user: KubeConfigUser,
  cluster: KubeConfigCluster,
  server: string,
  env: Readonly<Record<string, string | undefined>>,
  fail: (problem: string) => never,
): AuthConfig {
  if (user['auth-provider']) {
    fail(`auth-provider "${user['auth-provider'].name ?? ''}" is not supported (it was removed from kubectl); use an exec credential plugin`);
  }
  // client-go: when both are set, the file wins (it is the one that rotates).
  if (user.tokenFile) return { type: 'tokenFile', path: user.tokenFile };
  if (user.token) return { type: 'token', token: user.token };
  if (user.exec) return { type: 'exec', exec: execConfig(user.exec, cluster, server, env, fail) };
  if (user.username !== undefined && user.password !== undefined) return { type: 'basic', username: user.username, password: user.password };
  return { type: 'none' };
}

const execApiVersions = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);

function execConfig(
  exec: NonNullable<KubeConfigUser['exec']>,
  cluster: KubeConfigCluster,
  server: string,
  env: Readonly<Record<string, string | undefined>>,
  fail: (problem: string) => never,
): ExecPluginConfig {
  const apiVersion = exec.apiVersion!;
  if (!execApiVersions.has(apiVersion)) fail(`exec plugin apiVersion "${apiVersion}" is not supported (use client.authentication.k8s.io/v1 or v1beta1)`);
  let interactiveMode = exec.interactiveMode;
  if (interactiveMode === undefined || interactiveMode === '') {
    if (apiVersion.endsWith('/v1')) fail('exec plugin: interactiveMode is required for client.authentication.k8s.io/v1');
    interactiveMode = 'IfAvailable';
  }
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    fail(`exec plugin: interactiveMode "${interactiveMode}" must be Never, IfAvailable or Always`);
  }
  const config: ExecPluginConfig = {
    apiVersion,
    command: exec.command!,
    args: exec.args ?? [],
    env: exec.env ?? [],
    baseEnv: env,
    interactiveMode,
    ...(exec.installHint ? { installHint: exec.installHint } : {}),
  };
  if (exec.provideClusterInfo) {
    const extension = cluster.extensions?.find((e) => e.name === 'client.authentication.k8s.io/exec')?.extension;
    config.cluster = {
      server,
      ...(cluster['tls-server-name'] ? { 'tls-server-name': cluster['tls-server-name'] } : {}),
      ...(cluster['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster['certificate-authority-data'] ? { 'certificate-authority-data': cluster['certificate-authority-data'] } : {}),
      ...(cluster['proxy-url'] ? { 'proxy-url': cluster['proxy-url'] } : {}),
      ...(extension !== undefined ? { config: extension } : {}),
    };
  }
  return config;
}

async function material(data: string | undefined, file: string | undefined, what: string, fail: (problem: string, cause?: unknown) => never): Promise<string | undefined> {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (!file) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    return fail(`cannot read the ${what} ${file}: ${(err as Error).message}`, err);
  }
}

function pem<K extends 'ca' | 'cert' | 'key'>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, string>>);
}

function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> | undefined {
  const proxyEnv: Record<string, string> = {};
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) {
    const value = env[name] ?? env[name.toLowerCase()];
    if (value) proxyEnv[name] = value;
  }
  return Object.keys(proxyEnv).length > 0 ? proxyEnv : undefined;
}
