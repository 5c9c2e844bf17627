/**
 * The built-in kinds the embedded server serves, and their patch/apply metadata: one table read
 * by both strategic merge patch and server-side apply. apps/v1, coordination.k8s.io/v1 and
 * apiextensions.k8s.io/v1 are transcribed here (they are short); core/v1 and meta/v1 have
 * their own files. Only what differs from the defaults is listed (see meta-v1.ts).
 */
import { list, mergeList, struct, type TypeInfo } from './field-type.ts';
import { configMap, event, namespace, pod, podTemplateSpec, secret, service, serviceAccount } from './core-v1.ts';
import { labelSelector, objectMeta } from './meta-v1.ts';

/** A group, version and kind; `group` is '' for the core group. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const deployment = struct({
  metadata: objectMeta,
  spec: struct({
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: struct({}, { patchStrategy: 'retainKeys' }),
  }),
  status: struct({ conditions: mergeList(struct(), 'type') }),
});

const lease = struct({ metadata: objectMeta });

// spec.versions is atomic (so every schema inside it is one value); status.conditions is a
// map for apply but has no patch strategy, so strategic merge patch replaces it.
const customResourceDefinition = struct({
  metadata: objectMeta,
  status: struct({ conditions: list(struct(), { listType: 'map', keys: ['type'] }) }),
});

const builtins: Readonly<Record<string, TypeInfo>> = {
  '/v1/Namespace': { root: namespace },
  '/v1/ConfigMap': { root: configMap },
  '/v1/Secret': { root: secret },
  '/v1/ServiceAccount': { root: serviceAccount },
  '/v1/Event': { root: event },
  '/v1/Pod': { root: pod },
  '/v1/Service': { root: service },
  'apps/v1/Deployment': { root: deployment },
  'coordination.k8s.io/v1/Lease': { root: lease },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { root: customResourceDefinition },
};

/**
 * The metadata of a built-in kind, or undefined for anything else (custom resources, whose
 * metadata comes from their schema through `schemaTypeInfo`, and kinds the server does not serve).
 */
export function builtinTypeInfo(gvk: GroupVersionKind): TypeInfo | undefined {
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  return Object.hasOwn(builtins, key) ? builtins[key] : undefined;
}

