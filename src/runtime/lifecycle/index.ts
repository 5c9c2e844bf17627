/** Operator phases, the crash-loop gate, idle policies and the memory budget. */
export { nextPhase, isResident, phases, transitions, type LifecycleEvent, type Phase } from './phase.ts';
export { crashLoopDelay, defaultCrashLoop, OperatorLifecycle, type CrashLoopPolicy, type LifecycleCounters } from './operator-lifecycle.ts';
export {
  createIdlePolicy,
  type IdleDecision,
  type IdleInput,
  type IdlePolicy,
  type IdlePolicySpec,
  type PolicyObservation,
} from './idle-policy.ts';
export { AdaptivePolicy, type AdaptiveOptions } from './adaptive-policy.ts';
export { chooseSuspensions, type BudgetChoice, type ResidentOperator } from './memory-budget.ts';
