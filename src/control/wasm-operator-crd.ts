/**
 * The WasmOperator CustomResourceDefinition, generated from the one TypeScript schema, so the
 * cluster validates exactly what `run -f operators.yaml` validates (bar the semantic checks
 * that have no openAPI form, which the host still runs on every object it reads).
 */
import { group, statusSchema, toOpenApi, version, wasmOperatorKind, wasmOperatorSpec } from '../runtime/config/index.ts';

/** `apiextensions.k8s.io/v1` CustomResourceDefinition, as a plain object ready to apply. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

export const plural = 'wasmoperators';

/**
 * The CRD for `wasmoperators.wasm-operator.dev`: namespaced (a module's ConfigMap and the
 * operator's identity live in its namespace), one served and stored version, the status
 * subresource (so the host's status writes never race a user's spec edits), and printer
 * columns for `kubectl get wasmoperators`.
 */
export function wasmOperatorCrd(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { 'app.kubernetes.io/part-of': 'wasm-operator' } },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: 'wasmoperator', kind: wasmOperatorKind, listKind: `${wasmOperatorKind}List`, shortNames: ['wop'], categories: ['wasm-operator'] },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether the operator runs and its guest is not failing.' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Lifecycle phase.' },
            { name: 'Idle Policy', type: 'string', jsonPath: '.spec.idlePolicy' },
            { name: 'Wake-ups', type: 'integer', jsonPath: '.status.wakeUps' },
            { name: 'Reconciles', type: 'integer', jsonPath: '.status.reconciles' },
            { name: 'Resident', type: 'integer', format: 'int64', jsonPath: '.status.residentBytes', description: 'Bytes of guest memory resident.' },
            { name: 'Snapshot', type: 'integer', format: 'int64', jsonPath: '.status.snapshotBytes', priority: 1, description: 'Bytes of its snapshot on disk.' },
            { name: 'Last Error', type: 'string', jsonPath: '.status.lastError', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A Kubernetes operator that runs as a WebAssembly module in the wasm-operator host.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
                kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
                metadata: { type: 'object' },
                spec: toOpenApi(wasmOperatorSpec),
                status: toOpenApi(statusSchema),
              },
            },
          },
        },
      ],
    },
  };
}
