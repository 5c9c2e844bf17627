/**
 * Where a request's credentials come from: fixed values, a token file that rotates, or an
 * exec plugin (exec-credential.ts). The REST client asks before each request, so rotation
 * needs no restart.
 */
import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from '../clock.ts';
import { KubeConfigError } from '../errors.ts';
import type { KubeLogger } from '../logger.ts';
import type { AuthConfig } from '../rest-config.ts';
import { ExecCredentialSource } from './exec-credential.ts';

/** What to add to a request: an `Authorization` header and/or a client certificate for TLS. */
export interface Credentials {
  authorization?: string;
  clientCert?: { cert: string; key: string };
}

/** A supplier of credentials, asked before every request. */
export interface CredentialSource {
  /** The credentials to use now; may read a file or run a plugin (then cached). */
  get(signal?: AbortSignal): Promise<Credentials>;
  /**
   * The API server answered 401 with the current credentials. Returns true when fetching
   * again may help (a rotated file, a plugin), so the client retries the request once.
   */
  invalidate(): boolean;
}

/** Knobs for the sources that refresh. */
export interface CredentialOptions {
  clock?: Clock;
  logger?: KubeLogger;
  /** How long a token read from a file is used before the file is read again (client-go: 1 minute). */
  tokenFileRefreshMs?: number;
  /** How long an exec plugin may run. */
  execTimeoutMs?: number;
}

/** The credential source for `auth`. */
export function credentialSource(auth: AuthConfig, options: CredentialOptions = {}): CredentialSource {
  switch (auth.type) {
    case 'none':
      return fixed({});
    case 'token':
      return fixed({ authorization: `Bearer ${auth.token}` });
    case 'basic':
      return fixed({ authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` });
    case 'tokenFile':
      return new TokenFileSource(auth.path, options.clock ?? systemClock, options.tokenFileRefreshMs ?? 60_000, options.logger);
    case 'exec':
      return new ExecCredentialSource(auth.exec, { clock: options.clock ?? systemClock, timeoutMs: options.execTimeoutMs ?? 60_000 });
  }
}

function fixed(credentials: Credentials): CredentialSource {
  return { get: () => Promise.resolve(credentials), invalidate: () => false };
}

/**
 * A bearer token read from a file and re-read every `refreshMs` (and after a 401), because
 * the kubelet rewrites projected service account tokens before they expire. If a re-read
 * fails, the last token read keeps being used (as client-go does) and the failure is logged.
 */
class TokenFileSource implements CredentialSource {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #refreshMs: number;
  readonly #logger: KubeLogger | undefined;
  #token: string | undefined;
  #readAt = -Infinity;
  #reading: Promise<string> | undefined;

  constructor(path: string, clock: Clock, refreshMs: number, logger: KubeLogger | undefined) {
    this.#path = path;
    this.#clock = clock;
    this.#refreshMs = refreshMs;
    this.#logger = logger;
  }

  async get(): Promise<Credentials> {
    if (this.#token === undefined || this.#clock.now() - this.#readAt >= this.#refreshMs) {
      this.#reading ??= this.#read().finally(() => (this.#reading = undefined));
      await this.#reading;
    }
    return { authorization: `Bearer ${this.#token}` };
  }

  invalidate(): boolean {
    this.#readAt = -Infinity;
    return true;
  }

  async #read(): Promise<string> {
    try {
      const token = (await readFile(this.#path, 'utf8')).trim();
      if (token === '') throw new Error('the file is empty');
      this.#token = token;
    } catch (err) {
      if (this.#token === undefined) {
        throw new KubeConfigError(`cannot read the bearer token file ${this.#path}: ${(err as Error).message}`, { path: this.#path }, err);
      }
      this.#logger?.log('warn', 'kube.token_file.unreadable', { path: this.#path, error: (err as Error).message });
    }
    this.#readAt = this.#clock.now();
    return this.#token;
  }
}
