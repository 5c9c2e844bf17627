/**
 * The bridge between the engine's exports and your operator module: the build wraps your
 * entry so that its exports (`reconcile`, optional `init`) are registered here, and the engine
 * calls them for `wo_init` and `wo_reconcile`. Whatever a handler returns, throws or resolves
 * to becomes the call's outcome (`set_result`).
 */
import { engineHost } from './host.ts';
import { done, failed } from './result.ts';
import type { Result } from './result.ts';
import type { ReconcileRequest } from './types.ts';

type Outcome = Result | void | undefined;

/** What an operator's entry module exports. */
export interface OperatorModule {
  /** Make the world match the object named by `request` (read it: it may be gone). */
  reconcile(request: ReconcileRequest): Outcome | Promise<Outcome>;
  /** Runs once, before the first reconcile, with the operator's configuration. */
  init?(config: Record<string, unknown>): Outcome | Promise<Outcome>;
}

interface InitPayload {
  abiVersion: number;
  operator: { name: string };
  config?: Record<string, unknown>;
}

interface Operator {
  name: string;
  config: Record<string, unknown>;
}

let current: Operator | undefined;

function started(): Operator {
  if (!current) throw new Error('the operator is not initialised yet: config() and operatorName() work from init and reconcile on, not while the script loads');
  return current;
}

/** The operator's configuration: the manifest's `config`, overridden by the WasmOperator's `spec.config`. */
export function config<T = Record<string, unknown>>(): T {
  return started().config as T;
}

/** The operator's name, as installed. */
export function operatorName(): string {
  return started().name;
}

/** A WASI environment variable from the operator's configuration, or `undefined`. */
export function env(name: string): string | undefined {
  return engineHost().getenv(name);
}

/**
 * Ends the current call by trapping: the host discards this instance's memory and restarts
 * the operator from its last snapshot. For state you cannot trust any more; to retry, throw.
 */
export function abort(message: string): never {
  return engineHost().abort(message);
}

/** Registers the entry module's handlers with the engine (the build calls this for you). */
export function registerOperator(module: Partial<OperatorModule>): void {
  const { reconcile, init } = module;
  if (typeof reconcile !== 'function') throw new TypeError('the operator entry must export a `reconcile` function');
  (globalThis as { __wo_guest?: unknown }).__wo_guest = {
    init(payload: InitPayload): void {
      current = { name: payload.operator.name, config: payload.config ?? {} };
      settle(() => (init ? init(current?.config ?? {}) : undefined));
    },
    reconcile(request: ReconcileRequest): void {
      settle(() => reconcile(request));
    },
  };
}

/**
 * Runs `handler` and reports its outcome. A promise is settled while the engine drains its job
 * queue after this call; until then the outcome says it never settled (set_result keeps the
 * last value, so settling overwrites it).
 */
function settle(handler: () => Outcome | Promise<Outcome>): void {
  const host = engineHost();
  let outcome: Outcome | Promise<Outcome>;
  try {
    outcome = handler();
  } catch (err) {
    host.setResult(failure(err));
    return;
  }
  if (outcome instanceof Promise) {
    host.setResult(failed('the handler returned a promise that never settled (it waited for something that cannot happen inside a call)'));
    outcome.then((r) => host.setResult(checked(r)), (err: unknown) => host.setResult(failure(err)));
    return;
  }
  host.setResult(checked(outcome));
}

function checked(outcome: Outcome): Result {
  if (outcome === undefined) return done();
  switch (outcome.kind) {
    case 'done':
    case 'requeueAfter':
    case 'failed':
      return outcome;
    default:
      return failed(`the handler returned ${JSON.stringify(outcome)}, which is not a Result (use done(), requeueAfter() or failed())`);
  }
}

/** A thrown error: logged with its stack, and a retryable failure. */
function failure(err: unknown): Result {
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error ? err.stack : undefined;
  engineHost().log({ level: 'error', message: `reconcile failed: ${message}`, fields: stack ? { stack } : {} });
  return failed(message);
}
