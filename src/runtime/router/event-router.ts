/**
 * Turns informer events into reconcile requests for one operator, from what its manifest
 * watches, owns and is triggered by. Level-based, as in controller-runtime: a request is only
 * a key, so several events for one key collapse into one reconcile in the queue.
 */
import { copyRef, refKey, type ObjectRef } from '../object-ref.ts';
import { formatSelector, matchesSelector, selectorFromObject, type LabelSelector, type Selector } from './label-selector.ts';

/** The primary kind: its objects' own keys are the requests. */
export interface WatchRule {
  apiVersion: string;
  kind: string;
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: LabelSelector;
}

/** A child kind: an event on a child requests its controller owner, when that is of the primary kind. */
export interface OwnsRule {
  apiVersion: string;
  kind: string;
}

/**
 * Another kind whose objects name the primary object to reconcile in a label or annotation:
 * `name` (same namespace) or `namespace/name`.
 */
export interface TriggerRule {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: LabelSelector;
  keyFrom: { label: string } | { annotation: string };
}

/** The part of a manifest that routing reads. */
export interface RoutingRules {
  watches: WatchRule;
  owns?: readonly OwnsRule[];
  triggers?: readonly TriggerRule[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  controller?: boolean;
}

/** An object as routing reads it: its metadata only. */
export interface RoutedObject {
  metadata?: {
    namespace?: string;
    name?: string;
    labels?: Readonly<Record<string, string>>;
    annotations?: Readonly<Record<string, string>>;
    ownerReferences?: readonly OwnerReference[];
  };
}

/**
 * An informer event: the informer's kind (list items often omit their own), the object, and
 * for updates and deletes the last state the informer held, so an object that leaves a
 * selection or changes owner still reaches the operator that selected or owned it before.
 */
export interface RoutedEvent {
  apiVersion: string;
  kind: string;
  object: RoutedObject;
  oldObject?: RoutedObject;
}

/** One list+watch an operator needs: kind, scope and label selector (string form, as sent). */
export interface InformerSource {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

interface Compiled {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  selector: Selector;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * One operator's routing, compiled once (selectors parsed up front; a bad selector throws
 * LabelSelectorError here, not on the first event).
 *
 * `primaryNamespaced` (from discovery; default true) says whether owner and trigger keys carry
 * the child's namespace. Ownership follows controller-runtime's `EnqueueRequestForOwner` with
 * `OnlyControllerOwner`: only the reference with `controller: true` counts, and it is matched
 * by API group and kind, not version.
 */
export class EventRouter {
  readonly #watches: Compiled;
  readonly #owns: readonly OwnsRule[];
  readonly #triggers: ReadonlyArray<Compiled & { keyFrom: TriggerRule['keyFrom'] }>;
  readonly #primaryNamespaced: boolean;

  constructor(rules: RoutingRules, options: { primaryNamespaced?: boolean } = {}) {
    this.#watches = compile(rules.watches);
    this.#owns = rules.owns ?? [];
    this.#triggers = (rules.triggers ?? []).map((t) => ({ ...compile(t), keyFrom: t.keyFrom }));
    this.#primaryNamespaced = options.primaryNamespaced ?? true;
  }

  /** The informers this operator needs, one per distinct (kind, namespace, selector). */
  sources(): InformerSource[] {
    const childNamespace = this.#primaryNamespaced ? this.#watches.namespace : undefined;
    const all = [
      source(this.#watches),
      ...this.#owns.map((o) => source({ ...o, namespace: childNamespace, selector: [] })),
      ...this.#triggers.map(source),
    ];
    return [...new Map(all.map((s) => [JSON.stringify([s.apiVersion, s.kind, s.namespace, s.labelSelector]), s])).values()];
  }

  /** The keys to reconcile for `event`, each once; empty when the event is not this operator's business. */
  route(event: RoutedEvent): ObjectRef[] {
    const refs = new Map<string, ObjectRef>();
    const add = (ref: ObjectRef | undefined) => {
      if (ref !== undefined && this.#inScope(ref)) refs.set(refKey(ref), copyRef(ref));
    };
    for (const object of event.oldObject === undefined ? [event.object] : [event.object, event.oldObject]) {
      const meta = object.metadata ?? {};
      if (isKind(event, this.#watches) && selects(this.#watches, meta) && meta.name !== undefined) {
        add({ namespace: meta.namespace, name: meta.name });
      }
      if (this.#owns.some((o) => isKind(event, o))) add(this.#owner(meta));
      for (const trigger of this.#triggers) {
        if (isKind(event, trigger) && selects(trigger, meta)) add(this.#triggered(trigger.keyFrom, meta));
      }
    }
    return [...refs.values()];
  }

  #owner(meta: NonNullable<RoutedObject['metadata']>): ObjectRef | undefined {
    const owner = meta.ownerReferences?.find((o) => o.controller === true);
    if (owner === undefined || owner.kind !== this.#watches.kind || groupOf(owner.apiVersion) !== groupOf(this.#watches.apiVersion)) {
      return undefined;
    }
    return this.#primaryNamespaced ? { namespace: meta.namespace, name: owner.name } : { name: owner.name };
  }

  #triggered(keyFrom: TriggerRule['keyFrom'], meta: NonNullable<RoutedObject['metadata']>): ObjectRef | undefined {
    const value = 'label' in keyFrom ? meta.labels?.[keyFrom.label] : meta.annotations?.[keyFrom.annotation];
    if (value === undefined || value === '') return undefined;
    const parts = value.split('/');
    if (parts.some((p) => p === '') || parts.length > 2) return undefined;
    if (!this.#primaryNamespaced) return parts.length === 1 ? { name: value } : undefined;
    return parts.length === 1 ? { namespace: meta.namespace, name: value } : { namespace: parts[0], name: parts[1]! };
  }

  /** A key outside the primary's namespace could never be reconciled: the operator only sees that one. */
  #inScope(ref: ObjectRef): boolean {
    return this.#watches.namespace === undefined || !this.#primaryNamespaced || ref.namespace === this.#watches.namespace;
  }
}

function compile(rule: { apiVersion: string; kind: string; namespace?: string; labelSelector?: LabelSelector }): Compiled {
  const selector = rule.labelSelector === undefined ? [] : selectorFromObject(rule.labelSelector);
  return { apiVersion: rule.apiVersion, kind: rule.kind, namespace: rule.namespace, selector };
}

function source(rule: Compiled): InformerSource {
  const labelSelector = formatSelector(rule.selector);
  return {
    apiVersion: rule.apiVersion,
    kind: rule.kind,
    ...(rule.namespace === undefined ? {} : { namespace: rule.namespace }),
    ...(labelSelector === '' ? {} : { labelSelector }),
  };
}

function isKind(event: RoutedEvent, rule: { apiVersion: string; kind: string }): boolean {
  return event.apiVersion === rule.apiVersion && event.kind === rule.kind;
}

function selects(rule: Compiled, meta: NonNullable<RoutedObject['metadata']>): boolean {
  return (rule.namespace === undefined || meta.namespace === rule.namespace) && matchesSelector(rule.selector, meta.labels);
}
