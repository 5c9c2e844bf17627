/**
 * API server paths for objects and collections. The ABI speaks paths, and an operator knows
 * kinds: the SDK turns a kind into its resource (plural) name by the usual English rules that
 * Kubernetes' own kinds and generated CRDs follow. Irregular ones are registered once with
 * `registerResource`.
 */
import type { ObjectRef } from './types.ts';

/** How one kind maps to its resource, when the English rules do not give it. */
export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** The resource's plural name, as in `kubectl api-resources`. */
  plural: string;
}

/** Kinds whose plural the rules get wrong. */
export class ResourceNames {
  readonly #plurals = new Map<string, string>([['v1/Endpoints', 'endpoints']]);

  /** Teaches the SDK a plural name the rules cannot guess (e.g. a CRD named `Cactus` → `cacti`). */
  register(info: ResourceInfo): void {
    this.#plurals.set(`${info.apiVersion}/${info.kind}`, info.plural);
  }

  plural(apiVersion: string, kind: string): string {
    return this.#plurals.get(`${apiVersion}/${kind}`) ?? guessPlural(kind);
  }

  /** `/api/v1/namespaces/ns/configmaps` (or cluster-scoped without a namespace). */
  collectionPath(ref: { apiVersion: string; kind: string; namespace?: string }): string {
    const root = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
    return `${root}${ns}/${this.plural(ref.apiVersion, ref.kind)}`;
  }

  /** `/api/v1/namespaces/ns/configmaps/name`, plus `/status` for the status subresource. */
  objectPath(ref: ObjectRef, subresource?: 'status'): string {
    if (!ref.name) throw new TypeError(`a ${ref.kind} reference needs a name`);
    const sub = subresource ? `/${subresource}` : '';
    return `${this.collectionPath(ref)}/${encodeURIComponent(ref.name)}${sub}`;
  }
}

/** Lower-cased English plural: Policy → policies, Ingress → ingresses, Deployment → deployments. */
export function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
