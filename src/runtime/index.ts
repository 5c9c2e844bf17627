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
