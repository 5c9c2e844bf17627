/**
 * The Gadget CustomResourceDefinition the kubectl tests apply (example.com/v1, namespaced,
 * short name `gd`, status subresource), as YAML, with the lines each test adds to its version
 * (printer columns, a schema) indented under it.
 */
export function gadgetCrdYaml(versionLines: string): string {
  const indented = versionLines.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets, singular: gadget, shortNames: [gd]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
${indented}
`;
}
