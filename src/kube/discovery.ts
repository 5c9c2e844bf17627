/**
 * Discovery: which resource serves a kind, and whether it is namespaced (client-go's RESTMapper).
 */
import { groupVersionPath, parseApiVersion, type ApiResource } from './api-resource.ts';
import { systemClock, type Clock } from './clock.ts';
import { KindNotFoundError } from './errors.ts';
import { apiError } from './kube-response.ts';
import type { KubeClient } from './rest-client.ts';

interface GroupVersionEntry {
  /** Undefined when the API server does not serve this group/version. */
  resources: ApiResource[] | undefined;
  fetchedAt: number;
}

interface ApiResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/**
 * Maps (apiVersion, kind) to the resource that serves it, reading only the one group/version
 * asked about (`GET /apis/<group>/<version>`), never the whole API surface.
 *
 * Guarantees: answers are cached per group/version; a kind missing from the cache makes the
 * group/version be read again (a CRD may have been created since), at most once per
 * `refreshIntervalMs`, so a loop asking for a kind that does not exist costs one request per
 * interval, not one per call; concurrent lookups share one request. Subresources
 * (`deployments/status`) are never answers.
 */
export class RestMapper {
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #refreshIntervalMs: number;
  readonly #cache = new Map<string, GroupVersionEntry>();
  readonly #inflight = new Map<string, Promise<GroupVersionEntry>>();

  constructor(client: KubeClient, options: { clock?: Clock; refreshIntervalMs?: number } = {}) {
    this.#client = client;
    this.#clock = options.clock ?? systemClock;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 1_000;
  }

  /** The resource for `kind` in `apiVersion`; rejects with `KindNotFoundError` when none is served. */
  async resolve(apiVersion: string, kind: string): Promise<ApiResource> {
    const cached = this.lookup(apiVersion, kind);
    if (cached) return cached;
    const entry = this.#cache.get(apiVersion);
    if (entry === undefined || this.#clock.now() - entry.fetchedAt >= this.#refreshIntervalMs) await this.#fetch(apiVersion);
    const found = this.lookup(apiVersion, kind);
    if (!found) throw new KindNotFoundError(apiVersion, kind);
    return found;
  }

  /** The cached answer, without any request: for callers that cannot wait (cache reads from guests). */
  lookup(apiVersion: string, kind: string): ApiResource | undefined {
    return this.#cache.get(apiVersion)?.resources?.find((r) => r.kind === kind);
  }

  /** Every resource of a group/version (read if not cached). */
  async resources(apiVersion: string): Promise<ApiResource[]> {
    const entry = this.#cache.get(apiVersion) ?? (await this.#fetch(apiVersion));
    return entry.resources ?? [];
  }

  /** Forgets one group/version (or all), e.g. after a CRD was deleted. */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.#cache.clear();
    else this.#cache.delete(apiVersion);
  }

  #fetch(apiVersion: string): Promise<GroupVersionEntry> {
    let pending = this.#inflight.get(apiVersion);
    if (!pending) {
      pending = this.#read(apiVersion).finally(() => this.#inflight.delete(apiVersion));
      this.#inflight.set(apiVersion, pending);
    }
    return pending;
  }

  async #read(apiVersion: string): Promise<GroupVersionEntry> {
    const path = groupVersionPath(apiVersion);
    const response = await this.#client.request({ method: 'GET', path });
    let resources: ApiResource[] | undefined;
    if (response.ok) {
      const { group, version } = parseApiVersion(apiVersion);
      const list = response.body as ApiResourceList;
      resources = (list.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
    } else if (response.status !== 404) {
      throw apiError('GET', path, response);
    }
    const entry = { resources, fetchedAt: this.#clock.now() };
    this.#cache.set(apiVersion, entry);
    return entry;
  }
}
