/**
 * The wasm-operator SDK for JavaScript and TypeScript: write an operator as a module that
 * exports `reconcile` (and optionally `init`), build it with
 * `wasm-operator build operator.ts --lang js -o operator.wasm`, and it runs inside QuickJS
 * compiled to WebAssembly. Every call here is synchronous: the host suspends the operator
 * while it waits, so there is no need for `async`/`await` (though it works).
 */
import { installGlobals } from './globals.ts';

installGlobals();

export { api, ApiError, isAlreadyExists, isConflict, isNotFound, registerResource } from './api.ts';
export type { DeleteOptions, ListQuery, PatchOptions, PatchType } from './api.ts';
export { cache } from './cache.ts';
export { findCondition, setCondition } from './conditions.ts';
export type { ConditionUpdate } from './conditions.ts';
export { finalizers } from './finalizers.ts';
export type { KubeRequest, KubeResponse, LogEntry } from './host.ts';
export { log } from './log.ts';
export { abort, config, env, operatorName, registerOperator } from './operator.ts';
export type { OperatorModule } from './operator.ts';
export { controllerReference, isControlledBy, setControllerReference } from './owners.ts';
export type { ResourceInfo } from './resource-path.ts';
export { done, failed, requeueAfter } from './result.ts';
export type { Result } from './result.ts';
export type { Condition, KubeList, KubeObject, ObjectMeta, ObjectRef, OwnerReference, ReconcileRequest, Status } from './types.ts';
