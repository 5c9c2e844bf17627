/**
 * The WasmOperator's status: what the host observed, for `kubectl get wasmoperators`.
 */
import { phases, type Phase } from '../lifecycle/index.ts';
import { array, integer, literal, object, optional, string, type Infer } from './schema/index.ts';

/**
 * The phase the status shows: a lifecycle phase, capitalised as Kubernetes phases are
 * (`Warm`, `Suspended`), or one of two for an operator the host does not run: `Pending`
 * (waiting to start: its module cannot be fetched yet, a watched kind is not served yet)
 * and `Invalid` (its spec or module was refused; only a change to it can help).
 */
export type StatusPhase = Capitalize<Phase> | 'Pending' | 'Invalid';

/** `warm` -> `Warm`. */
export function statusPhase(phase: Phase): StatusPhase {
  return `${phase[0]!.toUpperCase()}${phase.slice(1)}` as StatusPhase;
}

/** Every phase the status may show. */
export const statusPhases: readonly StatusPhase[] = [...phases.map(statusPhase), 'Pending', 'Invalid'];

const count = (description: string) => optional(integer(description, { minimum: 0 }));

const condition = object('A condition, as `metav1.Condition`.', {
  type: string('Its type in CamelCase, e.g. `Ready`.', { maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' }),
  status: literal('Whether it holds.', ['True', 'False', 'Unknown']),
  observedGeneration: count('The `metadata.generation` it was set for.'),
  lastTransitionTime: string('When `status` last changed (RFC 3339).', { format: 'date-time' }),
  reason: string('Why, in CamelCase.', { maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
  message: string('Details for people.', { maxLength: 32768 }),
});

export const statusSchema = object('What the host observed; written by the host only.', {
  phase: optional(literal('Where the operator is in its lifecycle; `Pending` while it waits to start (its module or a watched kind is not available yet), `Invalid` when its spec or module was refused.', statusPhases)),
  observedGeneration: count('The `metadata.generation` the host last acted on.'),
  moduleDigest: optional(string('`sha256:<hex>` of the module running.')),
  wakeUps: count('Times the operator was loaded: cold starts plus restores from a snapshot.'),
  reconciles: count('Reconciles that returned.'),
  failures: count('Traps, timeouts and failed loads.'),
  lastError: optional(string('The last failure, with its causes.')),
  residentBytes: count('Linear memory held while warm; 0 while suspended.'),
  snapshotBytes: count('Size of its snapshot on disk.'),
  conditions: optional(array('Current conditions, one per type.', condition, { listType: 'map', listMapKeys: ['type'] })),
});

export type WasmOperatorStatus = Infer<typeof statusSchema>;
