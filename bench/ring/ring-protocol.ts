/**
 * The ring experiment's protocol, shared by the driver and every variant.
 *
 * Operator i watches the `TestResource` named {@link resourceName} in namespace `ring-i` and
 * copies its `spec.nonce` into the one of the same name in `ring-(i+1 mod size)` (the `ring`
 * example operator, examples/ring/). A copy that changes nothing is a no-op patch, which the
 * API server turns into no watch event: that is what stops a nonce going round forever, and
 * also why a ring made only of operators cannot tell the driver a round is over (operator N-1
 * would write into ring-0 the nonce the driver just put there: no change, no event).
 *
 * So the driver is the ring's last member. A ring of N operators has size N + 1: operator
 * N-1 writes into `ring-N`, which only the driver watches, and the driver closes the ring by
 * writing the next round's nonce into `ring-0`. A round is then exactly N operator hops, each
 * of them a real change, and it ends at the watch event of the last one.
 */
export const group = 'ring.wasm-operator.dev';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;
export const kind = 'TestResource';
export const plural = 'testresources';
export const namespacePrefix = 'ring-';
/** The one TestResource per namespace the nonce travels through. */
export const resourceName = 'token';

/** The `size` every operator of a ring of `operators` is configured with: the driver is member N. */
export function ringSize(operators: number): number {
  return operators + 1;
}

export function ringNamespace(index: number): string {
  return `${namespacePrefix}${index}`;
}

/** Where a round ends: the namespace only the driver watches. */
export function closingNamespace(operators: number): string {
  return ringNamespace(operators);
}

/** The path of the TestResources of one namespace (or of all, for a cluster-wide watch). */
export function resourcesPath(namespace?: string): string {
  return namespace === undefined ? `/apis/${group}/${version}/${plural}` : `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;
}

/** The TestResource CRD, as examples/ring/crd.yaml defines it. */
export const testResourceCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: 'testresource', kind },
    versions: [{
      name: version,
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: { spec: { type: 'object', properties: { nonce: { type: 'string' } } } },
        },
      },
    }],
  },
} as const;
