/**
 * Turns informer events into reconcile requests for one operator, from what its manifest
 * watches, owns and is triggered by. Level-based, as in controller-runtime: a request only
 * names an object, so several events for one object collapse into one reconcile in the queue.
 */
import { requestKey, type ReconcileRequest } from '../reconcile-request.ts';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels, type LabelSelector, type LabelSelectorObject } from '../../kube/index.ts';

/** A watched (primary) kind: each of its objects is reconciled as itself. */
export interface WatchRule {
  apiVersion: string;
  kind: string;
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: LabelSelectorObject;
}

/** A child kind: an event on a child requests its controller owner, when that is of a watched kind. */
export interface OwnsRule {
  apiVersion: string;
  kind: string;
}

/**
 * Another kind whose objects name the object to reconcile in a label or annotation: `name`
 * (same namespace) or `namespace/name`. That object is of kind `target`, one of the watched
 * kinds (the first when absent).
 */
export interface TriggerRule {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: LabelSelectorObject;
  keyFrom: { label: string } | { annotation: string };
  target?: { apiVersion: string; kind: string };
}

/** The part of a manifest that routing reads. */
export interface RoutingRules {
  watches: readonly WatchRule[];
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
 * for updates the previous state, so an object that leaves a selection or changes owner still
 * reaches the operator that selected or owned it before.
 */
export interface RoutedEvent {
  apiVersion: string;
  kind: string;
  /**
   * `deleted` events of a watched kind route even when the object no longer matches the label
   * selector: a label-selected watch reports an object leaving its selection as a deletion
   * carrying the new, non-matching labels. At worst a reconcile finds nothing to do.
   */
  type?: 'added' | 'updated' | 'deleted';
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
  selector: LabelSelector;
}

type Kind = { apiVersion: string; kind: string };
type Meta = NonNullable<RoutedObject['metadata']>;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * One operator's routing, compiled once (selectors parsed up front; a bad selector throws
 * LabelSelectorError here, not on the first event).
 *
 * `isNamespaced` (from discovery; default: every kind is) says whether a watched kind's
 * requests carry a namespace. Ownership follows controller-runtime's `EnqueueRequestForOwner`
 * with `OnlyControllerOwner`: only the reference with `controller: true` counts, and it is
 * matched to a watched kind by API group and kind, not version.
 */
export class EventRouter {
  readonly #watches: readonly Compiled[];
  readonly #owns: readonly OwnsRule[];
  readonly #triggers: ReadonlyArray<Compiled & { keyFrom: TriggerRule['keyFrom']; target: Kind | undefined }>;
  readonly #isNamespaced: (apiVersion: string, kind: string) => boolean;

  constructor(rules: RoutingRules, options: { isNamespaced?: (apiVersion: string, kind: string) => boolean } = {}) {
    this.#watches = rules.watches.map(compile);
    this.#owns = rules.owns ?? [];
    this.#isNamespaced = options.isNamespaced ?? (() => true);
    this.#triggers = (rules.triggers ?? []).map((t) => ({ ...compile(t), keyFrom: t.keyFrom, target: t.target ?? rules.watches[0] }));
  }

  /** The informers this operator needs, one per distinct (kind, namespace, selector). */
  sources(): InformerSource[] {
    // Owner references never cross namespaces: when every namespaced watched kind is watched in
    // one namespace, children are watched there only.
    const scopes = new Set(this.#watches.filter((w) => this.#isNamespaced(w.apiVersion, w.kind)).map((w) => w.namespace));
    const childNamespace = scopes.size === 1 ? [...scopes][0] : undefined;
    const all = [
      ...this.#watches.map(source),
      ...this.#owns.map((o) => source({ ...o, namespace: childNamespace, selector: [] })),
      ...this.#triggers.map(source),
    ];
    return [...new Map(all.map((s) => [JSON.stringify([s.apiVersion, s.kind, s.namespace, s.labelSelector]), s])).values()];
  }

  /** The objects to reconcile for `event`, each once; empty when the event is not this operator's business. */
  route(event: RoutedEvent): ReconcileRequest[] {
    const requests = new Map<string, ReconcileRequest>();
    const add = (kind: Kind | undefined, namespace: string | undefined, name: string | undefined) => {
      if (kind === undefined || name === undefined || name === '') return;
      const namespaced = this.#isNamespaced(kind.apiVersion, kind.kind);
      const request = { apiVersion: kind.apiVersion, kind: kind.kind, ...(namespaced && namespace !== undefined ? { namespace } : {}), name };
      if (this.#inScope(request, namespaced)) requests.set(requestKey(request), request);
    };
    for (const object of event.oldObject === undefined ? [event.object] : [event.object, event.oldObject]) {
      const meta = object.metadata ?? {};
      for (const watch of this.#watches) {
        if (isKind(event, watch) && selects(watch, meta, event.type === 'deleted')) add(watch, meta.namespace, meta.name);
      }
      if (this.#owns.some((o) => isKind(event, o))) {
        const owner = meta.ownerReferences?.find((o) => o.controller === true);
        if (owner !== undefined) add(this.#watches.find((w) => w.kind === owner.kind && groupOf(w.apiVersion) === groupOf(owner.apiVersion)), meta.namespace, owner.name);
      }
      for (const trigger of this.#triggers) {
        if (!isKind(event, trigger) || !selects(trigger, meta)) continue;
        const key = triggeredKey(trigger.keyFrom, meta);
        if (key !== undefined) add(trigger.target, key.namespace ?? meta.namespace, key.name);
      }
    }
    return [...requests.values()];
  }

  /** A request no watch covers could never be read by the operator: it is dropped. */
  #inScope(request: ReconcileRequest, namespaced: boolean): boolean {
    return this.#watches.some((w) => isKind(request, w) && (w.namespace === undefined || !namespaced || request.namespace === w.namespace));
  }
}

/** The key a trigger's label or annotation names: `name`, or `namespace/name`; undefined when malformed. */
function triggeredKey(keyFrom: TriggerRule['keyFrom'], meta: Meta): { namespace?: string; name: string } | undefined {
  const value = 'label' in keyFrom ? meta.labels?.[keyFrom.label] : meta.annotations?.[keyFrom.annotation];
  const parts = value?.split('/') ?? [];
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p === '')) return undefined;
  return parts.length === 1 ? { name: parts[0]! } : { namespace: parts[0]!, name: parts[1]! };
}

function compile(rule: { apiVersion: string; kind: string; namespace?: string; labelSelector?: LabelSelectorObject }): Compiled {
  const selector = rule.labelSelector === undefined ? [] : labelSelectorFromObject(rule.labelSelector);
  return { apiVersion: rule.apiVersion, kind: rule.kind, namespace: rule.namespace, selector };
}

function source(rule: Compiled): InformerSource {
  const labelSelector = formatLabelSelector(rule.selector);
  return {
    apiVersion: rule.apiVersion,
    kind: rule.kind,
    ...(rule.namespace === undefined ? {} : { namespace: rule.namespace }),
    ...(labelSelector === '' ? {} : { labelSelector }),
  };
}

function isKind(a: Kind, b: Kind): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind;
}

function selects(rule: Compiled, meta: Meta, anyLabels = false): boolean {
  return (rule.namespace === undefined || meta.namespace === rule.namespace) && (anyLabels || matchesLabels(rule.selector, meta.labels));
}
