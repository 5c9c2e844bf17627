/**
 * Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1): the kubeconfig names
 * a command (aws, gke-gcloud-auth-plugin, kubelogin...) that prints an `ExecCredential`.
 */
import { spawn } from 'node:child_process';
import type { Clock } from '../clock.ts';
import { ExecCredentialError } from '../errors.ts';
import type { ExecPluginConfig } from '../rest-config.ts';
import type { CredentialSource, Credentials } from './credentials.ts';

/** A credential this early before its `expirationTimestamp` is refreshed, so requests in flight do not meet a 401. */
const expirySkewMs = 10_000;
/** Enough of a failing plugin's stderr to show what went wrong. */
const stderrLimitBytes = 4096;

interface Cached {
  credentials: Credentials;
  /** Epoch milliseconds, or undefined: valid until the server rejects it. */
  expiresAt: number | undefined;
}

/**
 * Runs the plugin when no valid credential is cached, caching the answer until its
 * `expirationTimestamp` (or, without one, until the API server answers 401).
 *
 * Guarantees: concurrent requests share one run of the plugin; the plugin never gets a
 * terminal (the host is not interactive: stdin is closed and `spec.interactive` is false, and
 * a plugin whose `interactiveMode` is `Always` is refused); a plugin that runs longer than
 * `timeoutMs` is killed. Failures are `ExecCredentialError`s quoting the plugin's stderr.
 */
export class ExecCredentialSource implements CredentialSource {
  readonly #config: ExecPluginConfig;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #cached: Cached | undefined;
  #running: Promise<Cached> | undefined;

  constructor(config: ExecPluginConfig, options: { clock: Clock; timeoutMs: number }) {
    this.#config = config;
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs;
  }

  async get(): Promise<Credentials> {
    const cached = this.#cached;
    if (cached && (cached.expiresAt === undefined || this.#clock.now() < cached.expiresAt - expirySkewMs)) return cached.credentials;
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    this.#cached = await this.#running;
    return this.#cached.credentials;
  }

  invalidate(): boolean {
    this.#cached = undefined;
    return true;
  }

  async #run(): Promise<Cached> {
    const { command, args, apiVersion } = this.#config;
    if (this.#config.interactiveMode === 'Always') {
      throw new ExecCredentialError(command, 'needs an interactive terminal (interactiveMode: Always), which the host never has');
    }
    const execInfo = {
      apiVersion,
      kind: 'ExecCredential',
      spec: { interactive: false, ...(this.#config.cluster ? { cluster: this.#config.cluster } : {}) },
    };
    const env: Record<string, string | undefined> = { ...this.#config.baseEnv };
    for (const { name, value } of this.#config.env) env[name] = value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify(execInfo);
    const { stdout, stderr, exitCode, error } = await runProcess(command, args, env, this.#timeoutMs);
    if (error !== undefined) {
      const hint = this.#config.installHint ? `\n${this.#config.installHint}` : '';
      const problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found' : `could not run: ${error.message}`;
      throw new ExecCredentialError(command, `${problem}${hint}`, {}, error);
    }
    if (exitCode !== 0) {
      throw new ExecCredentialError(command, `exited with ${exitCode}${stderr ? `: ${stderr.trim()}` : ''}`, { exitCode });
    }
    return this.#parse(stdout);
  }

  #parse(stdout: string): Cached {
    const { command, apiVersion } = this.#config;
    let output: unknown;
    try {
      output = JSON.parse(stdout);
    } catch (err) {
      throw new ExecCredentialError(command, 'printed something that is not JSON', {}, err);
    }
    const o = output as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
    if (o?.kind !== 'ExecCredential') throw new ExecCredentialError(command, `printed kind "${String(o?.kind)}", not ExecCredential`);
    if (o.apiVersion !== apiVersion) {
      throw new ExecCredentialError(command, `answered apiVersion "${String(o.apiVersion)}" but the kubeconfig asked for "${apiVersion}"`);
    }
    const status = o.status ?? {};
    const credentials: Credentials = {};
    if (typeof status.token === 'string' && status.token !== '') credentials.authorization = `Bearer ${status.token}`;
    const cert = status.clientCertificateData;
    const key = status.clientKeyData;
    if (typeof cert === 'string' && typeof key === 'string' && cert !== '' && key !== '') credentials.clientCert = { cert, key };
    else if (cert || key) throw new ExecCredentialError(command, 'answered a client certificate without its key (or a key without its certificate)');
    if (!credentials.authorization && !credentials.clientCert) throw new ExecCredentialError(command, 'answered neither a token nor a client certificate');
    let expiresAt: number | undefined;
    if (status.expirationTimestamp !== undefined) {
      expiresAt = Date.parse(String(status.expirationTimestamp));
      if (Number.isNaN(expiresAt)) throw new ExecCredentialError(command, `answered an unreadable expirationTimestamp "${String(status.expirationTimestamp)}"`);
    }
    return { credentials, expiresAt };
  }
}

interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  error: Error | undefined;
}

function runProcess(command: string, args: string[], env: Record<string, string | undefined>, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const stdout: Buffer[] = [];
    let stderr = '';
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-stderrLimitBytes);
    });
    child.on('error', (err) => (failure = err));
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && failure === undefined) failure = new Error(`killed after ${timeoutMs} ms`);
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr, exitCode: code, error: failure });
    });
  });
}
