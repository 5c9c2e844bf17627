/**
 * Schemas of what an operator watches, owns, is triggered by and may touch: shared by the
 * WasmOperator spec and the manifest a module carries.
 */
import { LabelSelectorError, labelKeyProblem, labelSelectorFromObject } from '../../kube/index.ts';
import { InvalidValueError } from '../errors.ts';
import { array, describe, literal, map, object, optional, string, type Infer } from './schema/index.ts';

/** Why `run` throws, or undefined when it does not: turns a parser into a schema check. */
export function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof InvalidValueError) return err.detail;
    if (err instanceof LabelSelectorError) return err.problem;
    throw err;
  }
}

const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const dnsSubdomainPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const apiVersionPattern = `^(${dnsSubdomainPattern.slice(1, -1)}/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$`;

export const apiVersion = string('API group and version, e.g. `example.com/v1`; `v1` for the core group.', {
  pattern: apiVersionPattern,
  maxLength: 317,
});
export const kind = string('Kind, as in the objects\' `kind` field, e.g. `ConfigMap`.', { pattern: '^[A-Za-z][A-Za-z0-9]*$', maxLength: 63 });
export const namespaceName = string('A namespace name.', { pattern: dnsLabel, maxLength: 63 });

const labelKey = (description: string) => string(description, { maxLength: 317, check: labelKeyProblem });

export const labelSelector = object(
  'Label selector, as in a Deployment\'s `selector`: every `matchLabels` entry and every `matchExpressions` item must hold.',
  {
    matchLabels: optional(map('Labels that must be present with exactly these values.', string('Label value.'))),
    matchExpressions: optional(
      array(
        'Set-based requirements.',
        object('One requirement.', {
          key: labelKey('Label key.'),
          operator: literal('How the label relates to `values`.', ['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: optional(array('Values for `In` and `NotIn`; empty for `Exists` and `DoesNotExist`.', string('Label value.'))),
        }),
      ),
    ),
  },
  { check: (selector) => problemOf(() => labelSelectorFromObject(selector)) },
);

const scopeFields = {
  namespace: optional(describe(namespaceName, 'Only objects in this namespace; all namespaces when absent.')),
  labelSelector: optional(describe(labelSelector, 'Only objects whose labels match; all objects when absent.')),
};

export const watchRule = object('A watched (primary) kind: each of its objects is reconciled as itself.', { apiVersion, kind, ...scopeFields });

export const ownsRule = object('A child kind. An event on a child reconciles the object named by its controller ownerReference, when that is of a watched kind.', {
  apiVersion,
  kind,
});

export const triggerRule = object(
  'Another kind whose objects name an object to reconcile in a label or annotation, as `name` (same namespace) or `namespace/name`.',
  {
    apiVersion,
    kind,
    ...scopeFields,
    keyFrom: object(
      'Where the key of the object to reconcile is written.',
      {
        label: optional(labelKey('Label whose value is the key.')),
        annotation: optional(labelKey('Annotation whose value is the key.')),
      },
      { exactlyOne: ['label', 'annotation'] },
    ),
    target: optional(object('The watched kind of the object to reconcile; the first `watches` entry when absent.', { apiVersion, kind })),
  },
);

/** The verbs a guest's API calls can need (RBAC's, for the eight kinds of request). */
export const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*'] as const;

export const policyRule = object('One permission rule, as in an RBAC Role; a call is allowed when some rule allows it.', {
  apiGroups: array('API groups: `""` is the core group, `*` any group.', string('An API group.'), { minItems: 1 }),
  resources: array(
    'Resources (plural, lowercase): `configmaps`; a subresource needs its own entry, `websites/status`; `*` any resource.',
    string('A resource or resource/subresource.'),
    { minItems: 1 },
  ),
  verbs: array('Verbs allowed on them.', literal('A verb.', verbs), { minItems: 1 }),
  namespaces: optional(array('Only in these namespaces (never cluster-scoped objects); everywhere when absent.', namespaceName)),
  resourceNames: optional(array('Only objects with these names; such a rule never allows create, list, watch or deletecollection without a name.', string('An object name.'))),
});

export type PolicyRuleSpec = Infer<typeof policyRule>;
export type TriggerRuleSpec = Infer<typeof triggerRule>;
