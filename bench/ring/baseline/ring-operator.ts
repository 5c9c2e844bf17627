/**
 * The ring operator as a TypeScript author writes it today, with @kubernetes/client-node: an
 * informer feeds a per-key work queue, and reconcile copies the nonce on with one merge patch
 * (creating the resource if it is missing). The logic is examples/ring's, step for step, so
 * every variant of the benchmark runs the same operator.
 *
 * Baselines only: the host never loads client-node (DESIGN.md, decision 9).
 */
import * as k8s from '@kubernetes/client-node';
import { apiVersion, group, kind, plural, resourcesPath, ringNamespace, version } from '../ring-protocol.ts';

interface TestResource extends k8s.KubernetesObject {
  spec?: { nonce?: string };
}

/** How the operators of one process get their events. */
export type InformerMode =
  /** One informer per operator, on its own namespace: what N separate operators do. */
  | 'per-namespace'
  /** One cluster-wide informer shared by every operator of the process, dispatching by namespace. */
  | 'shared';

const maxBackoffMs = 30_000;

/** One operator of the ring: its namespace, the next one, and a queue of keys to reconcile. */
class RingOperator {
  readonly #api: k8s.CustomObjectsApi;
  readonly #cache: k8s.ObjectCache<TestResource>;
  readonly #ownNamespace: string;
  readonly #nextNamespace: string;
  readonly #queued = new Set<string>();
  readonly #failures = new Map<string, number>();
  #running = false;

  constructor(api: k8s.CustomObjectsApi, cache: k8s.ObjectCache<TestResource>, index: number, size: number) {
    this.#api = api;
    this.#cache = cache;
    this.#ownNamespace = ringNamespace(index);
    this.#nextNamespace = ringNamespace((index + 1) % size);
  }

  get namespace(): string {
    return this.#ownNamespace;
  }

  /** Queues a key; a key already queued is reconciled once, from the cache's latest state. */
  enqueue(object: TestResource): void {
    if (object.metadata?.namespace !== this.#ownNamespace || object.metadata.name === undefined) return;
    this.#queued.add(object.metadata.name);
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queued.size > 0) {
      const name = this.#queued.values().next().value!;
      this.#queued.delete(name);
      try {
        await this.#reconcile(name);
        this.#failures.delete(name);
      } catch (err) {
        const failures = (this.#failures.get(name) ?? 0) + 1;
        this.#failures.set(name, failures);
        process.stderr.write(`${this.#ownNamespace}/${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; retrying\n`);
        setTimeout(() => this.enqueue({ metadata: { namespace: this.#ownNamespace, name } }), Math.min(maxBackoffMs, 100 * 2 ** failures));
      }
    }
    this.#running = false;
  }

  async #reconcile(name: string): Promise<void> {
    const source = this.#cache.get(name, this.#ownNamespace);
    if (source === undefined) return;
    const nonce = source.spec?.nonce ?? '';
    // Patch first: one request in the usual case. A patch that changes nothing is a no-op
    // without a watch event, so an unchanged nonce stops going round.
    try {
      await this.#api.patchNamespacedCustomObject(
        { group, version, plural, namespace: this.#nextNamespace, name, body: { spec: { nonce } }, fieldManager: 'ring' },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      return;
    } catch (err) {
      if (!(err instanceof k8s.ApiException && err.code === 404)) throw err;
    }
    try {
      const body: TestResource = { apiVersion, kind, metadata: { name, namespace: this.#nextNamespace }, spec: { nonce } };
      await this.#api.createNamespacedCustomObject({ group, version, plural, namespace: this.#nextNamespace, body, fieldManager: 'ring' });
    } catch (err) {
      if (!(err instanceof k8s.ApiException && err.code === 409)) throw err; // created meanwhile: its own event follows
    }
  }
}

/**
 * Starts the operators `indices` of a ring of `size` in this process, sharing one KubeConfig
 * and API client; resolves once every informer has listed and is watching.
 */
export async function startRingOperators(kubeconfigPath: string, indices: readonly number[], size: number, mode: InformerMode): Promise<{ stop(): Promise<void> }> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const informers: Array<k8s.Informer<TestResource>> = [];
  const byNamespace = new Map<string, RingOperator>();
  const watch = (namespace: string | undefined) => {
    const list = () => (namespace === undefined
      ? api.listClusterCustomObject({ group, version, plural })
      : api.listNamespacedCustomObject({ group, version, plural, namespace })) as Promise<k8s.KubernetesListObject<TestResource>>;
    const informer = k8s.makeInformer<TestResource>(kc, resourcesPath(namespace), list);
    const onChange = (o: TestResource) => byNamespace.get(o.metadata?.namespace ?? '')?.enqueue(o);
    informer.on('add', onChange);
    informer.on('update', onChange);
    // client-node's informer stops on an error other than 410: start it again, as its docs advise.
    informer.on('error', () => setTimeout(() => void informer.start().catch(() => undefined), 1_000));
    informers.push(informer);
    return informer;
  };

  const shared = mode === 'shared' ? watch(undefined) : undefined;
  for (const index of indices) {
    const cache = shared ?? watch(ringNamespace(index));
    const operator = new RingOperator(api, cache, index, size);
    byNamespace.set(operator.namespace, operator);
  }
  for (const informer of informers) await informer.start();
  return { stop: async () => void (await Promise.all(informers.map((i) => i.stop()))) };
}

