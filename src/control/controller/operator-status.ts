/**
 * What a WasmOperator's status should say, computed from what the controller did with it and
 * what the host reports: pure, so every case is a plain test.
 *
 * Conditions (metav1.Condition, one per type):
 * - `Ready`: the operator runs and its guest is not failing. `True` with reason `Running`, or
 *   `PreviousGenerationRunning` when the latest spec could not be applied and the one before
 *   it keeps running (a bad rollout never stops a working operator).
 * - `ModuleLoaded`: the latest spec's module was fetched, verified and compiled.
 * - `Degraded`: something needs attention; the reason says what (`InvalidSpec`,
 *   `ModuleInvalid`, `ModuleUnavailable`, `StartFailed`, `GuestFailing`), `AsExpected` when not.
 */
import type { OperatorProblem, OperatorReport, StatusPhase, WasmOperatorStatus } from '../../runtime/index.ts';
import { statusPhase } from '../../runtime/index.ts';

export type Condition = NonNullable<WasmOperatorStatus['conditions']>[number];

/** Why a spec could not run at all: retrying the same spec cannot help. */
export type RefusalReason = 'InvalidSpec' | 'ModuleInvalid';

/** What the controller last did with an object's spec. */
export type ApplyAttempt =
  /** Handed to the host: it runs, or the host retries starting it (see its problem). */
  | { kind: 'applied'; generation: number }
  /** Refused before or by the host; the previous spec (if any) keeps running. */
  | { kind: 'refused'; generation: number; reason: RefusalReason; message: string };

export interface StatusInputs {
  attempt: ApplyAttempt;
  /** The host's figures for the operator, when it runs one under this name. */
  report: OperatorReport | undefined;
  /** The host's reason for not running the latest spec, if any. */
  problem: OperatorProblem | undefined;
  /** The status written before (its conditions keep their transition times). */
  previous: WasmOperatorStatus | undefined;
  nowIso: string;
}

/** The status for `inputs`; `observedGeneration` is the generation last acted on. */
export function desiredStatus(inputs: StatusInputs): WasmOperatorStatus {
  const { attempt, report, problem } = inputs;
  const generation = attempt.generation;
  const failure = failureOf(attempt, problem);
  const stillRunning = failure !== undefined && report !== undefined;
  const guestFailing = report?.phase === 'failed' && failure === undefined;

  const moduleLoaded: ConditionValue =
    failure === undefined ? { status: report === undefined ? 'Unknown' : 'True', reason: report === undefined ? 'Starting' : 'Loaded', message: report === undefined ? 'the host is starting the operator' : `module ${report.moduleDigest} is loaded` }
    : failure.reason === 'InvalidSpec' ? { status: 'Unknown', reason: 'InvalidSpec', message: 'the spec was refused before its module was loaded' }
    : failure.reason === 'StartFailed' ? { status: 'True', reason: 'Loaded', message: 'the module loaded; the operator could not start yet' }
    : { status: 'False', reason: failure.reason, message: failure.message };

  const ready: ConditionValue =
    stillRunning ? { status: report.phase === 'failed' ? 'False' : 'True', reason: 'PreviousGenerationRunning', message: `generation ${generation} could not be applied (see Degraded); the previous spec keeps running` }
    : failure !== undefined ? { status: 'False', reason: failure.reason, message: failure.message }
    : report === undefined ? { status: 'Unknown', reason: 'Starting', message: 'the host is starting the operator' }
    : guestFailing ? { status: 'False', reason: 'GuestFailing', message: `the guest failed and is retried with backoff: ${report.lastError ?? 'no detail'}` }
    : { status: 'True', reason: 'Running', message: `module ${report.moduleDigest} runs generation ${generation}` };

  const degraded: ConditionValue =
    failure !== undefined ? { status: 'True', reason: failure.reason, message: failure.message }
    : guestFailing ? { status: 'True', reason: 'GuestFailing', message: `the guest failed and is retried with backoff: ${report.lastError ?? 'no detail'}` }
    : { status: 'False', reason: 'AsExpected', message: 'nothing needs attention' };

  const phase: StatusPhase = report !== undefined ? statusPhase(report.phase) : failure?.retrying === true ? 'Pending' : failure !== undefined ? 'Invalid' : 'Pending';
  const lastError = failure?.message ?? report?.lastError;
  const conditions = [condition('Ready', ready, inputs), condition('ModuleLoaded', moduleLoaded, inputs), condition('Degraded', degraded, inputs)];
  return {
    phase,
    observedGeneration: generation,
    ...(report === undefined ? {} : {
      moduleDigest: report.moduleDigest,
      wakeUps: report.wakeUps,
      reconciles: report.reconciles,
      failures: report.failures,
      residentBytes: report.residentBytes,
      snapshotBytes: report.snapshotBytes,
    }),
    ...(lastError === undefined ? {} : { lastError }),
    conditions,
  };
}

type ConditionValue = Pick<Condition, 'status' | 'reason' | 'message'>;

interface Failure {
  reason: RefusalReason | 'ModuleUnavailable' | 'StartFailed';
  message: string;
  /** The host retries it by itself. */
  retrying: boolean;
}

function failureOf(attempt: ApplyAttempt, problem: OperatorProblem | undefined): Failure | undefined {
  if (attempt.kind === 'refused') return { reason: attempt.reason, message: attempt.message, retrying: false };
  if (problem === undefined) return undefined;
  if (problem.permanent === true) return { reason: problem.code === 'INVALID_OPERATOR' ? 'InvalidSpec' : 'ModuleInvalid', message: problem.error, retrying: false };
  return { reason: problem.code === 'MODULE_SOURCE' ? 'ModuleUnavailable' : 'StartFailed', message: `${problem.error} (retrying with backoff)`, retrying: true };
}

function condition(type: string, value: ConditionValue, inputs: StatusInputs): Condition {
  const before = inputs.previous?.conditions?.find((c) => c.type === type);
  return {
    type,
    ...value,
    observedGeneration: inputs.attempt.generation,
    lastTransitionTime: before !== undefined && before.status === value.status ? before.lastTransitionTime : inputs.nowIso,
  };
}

/** The Kubernetes time format of conditions: RFC 3339 in seconds (metav1.Time). */
export function conditionTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * How two statuses differ: `meaningful` when a person or a tool watching the status would act
 * on it (a condition, the generation, the module, the error, or entering or leaving a phase
 * where the operator does not run), `counters` when only figures that move with every event
 * changed (phases between warm and suspended, counts, bytes), `none` otherwise.
 */
export function statusChange(before: WasmOperatorStatus | undefined, after: WasmOperatorStatus): 'none' | 'counters' | 'meaningful' {
  if (before === undefined) return 'meaningful';
  if (meaningfulPart(before) !== meaningfulPart(after)) return 'meaningful';
  return JSON.stringify(before) === JSON.stringify(after) ? 'none' : 'counters';
}

const stoppedPhases = new Set<string | undefined>(['Failed', 'Pending', 'Invalid', undefined]);

function meaningfulPart(status: WasmOperatorStatus): string {
  const conditions = (status.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
  const phase = stoppedPhases.has(status.phase) ? status.phase : 'running';
  return JSON.stringify([phase, status.observedGeneration, status.moduleDigest, status.lastError, conditions]);
}

/**
 * A JSON merge patch of the status subresource that makes it exactly `status`: fields it
 * lacks are sent as `null`, so a figure of an operator that stopped running is removed.
 */
export function statusPatch(status: WasmOperatorStatus, fields: readonly string[]): { status: Record<string, unknown> } {
  const patch: Record<string, unknown> = {};
  for (const field of fields) patch[field] = (status as Record<string, unknown>)[field] ?? null;
  return { status: patch };
}
