/**
 * The operators.yaml a wasm variant runs: one WasmOperator per ring operator (docs/operators.md),
 * each narrowed to its own namespace, allowed to read there and to write only into the next
 * namespace, with the idle policy under test.
 */
import { stringify } from 'yaml';
import { apiVersion, group, kind, plural, ringNamespace, ringSize } from '../ring-protocol.ts';

/** The idle policies the wasm variants compare (docs/operators.md#idle-policies). */
export type RingIdlePolicy = 'never' | 'immediate' | 'adaptive';

export interface RingOperatorsOptions {
  operators: number;
  /** The ring module, relative to the operators.yaml (or absolute). */
  moduleFile: string;
  idlePolicy: RingIdlePolicy;
}

/** One WasmOperator document per operator, `---` between them. */
export function ringOperatorsYaml(options: RingOperatorsOptions): string {
  const size = ringSize(options.operators);
  const documents: string[] = [];
  for (let index = 0; index < options.operators; index++) {
    const own = ringNamespace(index);
    const next = ringNamespace((index + 1) % size);
    documents.push(stringify({
      apiVersion: 'wasm-operator.dev/v1alpha1',
      kind: 'WasmOperator',
      metadata: { name: `ring-${index}`, namespace: 'default' },
      spec: {
        module: { file: options.moduleFile },
        watches: [{ apiVersion, kind, namespace: own }],
        permissions: [
          { apiGroups: [group], resources: [plural], verbs: ['get', 'list', 'watch'], namespaces: [own] },
          { apiGroups: [group], resources: [plural], verbs: ['get', 'create', 'patch'], namespaces: [next] },
        ],
        config: { index, size },
        idlePolicy: options.idlePolicy,
      },
    }));
  }
  return documents.join('---\n');
}
