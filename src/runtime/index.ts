/**
 * The runtime: routing, per-operator queues, lifecycle and idle policies, and the WasmOperator
 * schema. Other folders import from here (or a subfolder's index), never deeper.
 */
export { ManualClock, systemClock, type Clock } from './clock.ts';
export { requestKey, type ReconcileRequest } from './reconcile-request.ts';
export * from './errors.ts';
export * from './queue/index.ts';
export * from './lifecycle/index.ts';
export * from './router/index.ts';
export * from './config/index.ts';
export { Host, type ApplyContext, type HostOptions, type OperatorProblem } from './host/host.ts';
export type { OperatorReport } from './host/operator-runner.ts';
export type { HostMetrics } from './host/host-services.ts';
export { systemHostClock, type HostClock } from './host/host-clock.ts';
