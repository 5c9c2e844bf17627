/**
 * An operator's view of the host's shared informers: the ones its watches, owns and triggers
 * subscribed to, looked up by kind for the guest's `cache_get` and `cache_list`.
 */
import { WasmOperatorError } from '../../errors.ts';
import type { InformerReader, KubeObject, ListOptions } from '../../kube/index.ts';

/** The guest asked the cache for a kind its manifest does not watch or own: its call traps. */
export class KindNotCachedError extends WasmOperatorError {
  constructor(operator: string, apiVersion: string, kind: string) {
    super(
      'KIND_NOT_CACHED',
      `operator "${operator}" read ${kind} (${apiVersion}) from the cache, but neither watches nor owns that kind; add it to the manifest's watches or owns, or read it with kube_request`,
      { operator, apiVersion, kind },
    );
  }
}

interface Entry {
  namespace: string | undefined;
  labelSelector: string | undefined;
  informer: InformerReader;
}

export class OperatorCaches {
  readonly #operator: string;
  readonly #byKind = new Map<string, Entry[]>();

  constructor(operator: string) {
    this.#operator = operator;
  }

  add(apiVersion: string, kind: string, entry: Entry): void {
    const key = `${apiVersion} ${kind}`;
    this.#byKind.set(key, [...(this.#byKind.get(key) ?? []), entry]);
  }

  clear(): void {
    this.#byKind.clear();
  }

  /** The object if any of the kind's informers has it (informers without a label selector first). */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const entries = [...this.#entries(apiVersion, kind)].sort((a, b) => Number(a.labelSelector !== undefined) - Number(b.labelSelector !== undefined));
    for (const entry of entries) {
      if (entry.namespace !== undefined && namespace !== undefined && entry.namespace !== namespace) continue;
      const found = entry.informer.get(namespace === undefined ? { name } : { namespace, name });
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every cached object of the kind, once, in namespace/name order, narrowed by namespace and labels. */
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): KubeObject[] {
    const options: ListOptions = {};
    if (namespace !== undefined) options.namespace = namespace;
    if (labelSelector !== undefined) options.labelSelector = labelSelector;
    const seen = new Map<string, KubeObject>();
    for (const entry of this.#entries(apiVersion, kind)) {
      if (entry.namespace !== undefined && namespace !== undefined && entry.namespace !== namespace) continue;
      for (const object of entry.informer.list(options)) {
        seen.set(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`, object);
      }
    }
    return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
  }

  #entries(apiVersion: string, kind: string): Entry[] {
    const entries = this.#byKind.get(`${apiVersion} ${kind}`);
    if (entries === undefined) throw new KindNotCachedError(this.#operator, apiVersion, kind);
    return entries;
  }
}
