/**
 * Every failure the wasm engine reports. Each has a stable `code` (callers switch on it) and
 * says what happens next: a module error means nothing was loaded; a guest error means that
 * one instance is unusable and every other instance is unaffected; a snapshot error means the
 * snapshot is ignored and the operator should start cold.
 */
import { WasmOperatorError } from '../errors.ts';

export type ModuleErrorCode =
  | 'MODULE_NOT_WASM'
  | 'MODULE_INVALID'
  | 'MODULE_UNSUPPORTED'
  | 'MODULE_IMPORT_MISSING'
  | 'MODULE_IMPORT_TYPE'
  | 'MODULE_EXPORT_MISSING'
  | 'MODULE_EXPORT_TYPE'
  | 'MODULE_NOT_REACTOR'
  | 'MODULE_MEMORY_TOO_LARGE'
  | 'MODULE_TABLE_MUTABLE'
  | 'MODULE_MANIFEST_INVALID'
  | 'MODULE_IMAGE_INVALID'
  | 'MODULE_REWRITE_FAILED';

/** A module the engine refuses; `problem` completes "module <source> ...". */
export class ModuleError extends WasmOperatorError {
  declare readonly code: ModuleErrorCode;
  constructor(code: ModuleErrorCode, source: string, problem: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, `module ${source} ${problem}; it was not loaded`, { source, ...context }, { cause });
  }
}

export type GuestErrorCode = 'GUEST_TRAP' | 'GUEST_EXIT' | 'GUEST_DEADLINE' | 'GUEST_MEMORY_LIMIT' | 'GUEST_HOST_FUNCTION_FAILED';

/** A call into a guest failed. That instance is now unusable (its state is undefined); drop it and start the operator again. */
export abstract class GuestError extends WasmOperatorError {
  declare readonly code: GuestErrorCode;
  readonly operator: string;
  constructor(code: GuestErrorCode, operator: string, problem: string, context: Record<string, unknown>, cause?: unknown) {
    super(code, `operator "${operator}" ${problem}; its instance was stopped`, { operator, ...context }, { cause });
    this.operator = operator;
  }
}

/** The guest trapped: unreachable, out-of-bounds access, division by zero, stack overflow... */
export class GuestTrapError extends GuestError {
  constructor(operator: string, call: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('GUEST_TRAP', operator, `trapped in ${call} (${reason})`, { call, reason }, cause);
  }
}

/** The guest called WASI `proc_exit`. */
export class GuestExitError extends GuestError {
  readonly exitCode: number;
  constructor(operator: string, call: string, exitCode: number) {
    super('GUEST_EXIT', operator, `exited with code ${exitCode} in ${call}`, { call, exitCode });
    this.exitCode = exitCode;
  }
}

/** The call's deadline passed, while the guest computed or while it waited on a host function. */
export class GuestDeadlineError extends GuestError {
  constructor(operator: string, call: string, timeoutMs: number) {
    super('GUEST_DEADLINE', operator, `did not finish ${call} within ${timeoutMs} ms`, { call, timeoutMs });
  }
}

/** The guest tried to grow its memory past its limit. */
export class GuestMemoryLimitError extends GuestError {
  constructor(operator: string, call: string, limitBytes: number, requestedBytes: number) {
    super('GUEST_MEMORY_LIMIT', operator, `tried to grow its memory to ${requestedBytes} bytes in ${call}, above its limit of ${limitBytes} bytes`,
      { call, limitBytes, requestedBytes });
  }
}

/** A host function the guest called threw instead of returning; the guest's stack was unwound. */
export class HostFunctionError extends GuestError {
  constructor(operator: string, call: string, importName: string, cause: unknown) {
    super('GUEST_HOST_FUNCTION_FAILED', operator, `called host function ${importName}, which failed, in ${call}`, { call, importName }, cause);
  }
}

/** The instance is inside a call (or being snapshotted): one call at a time. Nothing changed; retry later. */
export class InstanceBusyError extends WasmOperatorError {
  constructor(operator: string, attempted: string, phase: string) {
    super('INSTANCE_BUSY', `operator "${operator}" is ${phase}, so ${attempted} was refused; try again when it is idle`, { operator, attempted, phase });
  }
}

/** The instance failed earlier or was dropped; `cause` holds the earlier failure. */
export class InstanceUnusableError extends WasmOperatorError {
  constructor(operator: string, attempted: string, phase: string, cause?: unknown) {
    super('INSTANCE_UNUSABLE', `operator "${operator}" has ${phase === 'dropped' ? 'been dropped' : 'failed'}, so ${attempted} was refused; start it again`,
      { operator, attempted, phase }, { cause });
  }
}

/** A new instance could not be created (out of memory or address space); nothing is running. */
export class InstanceCreateError extends WasmOperatorError {
  constructor(operator: string, source: string, cause: unknown) {
    super('INSTANCE_CREATE_FAILED', `operator "${operator}" could not be instantiated from ${source}; retry later or raise the host's limits`, { operator, source }, { cause });
  }
}

/** A call's arguments do not fit the export's parameters. Nothing ran; the instance is unharmed. */
export class InvalidCallError extends WasmOperatorError {
  constructor(operator: string, call: string, problem: string) {
    super('CALL_INVALID_ARGUMENTS', `call ${call} of operator "${operator}" was refused: ${problem}`, { operator, call });
  }
}

/** The guest handed the host a pointer and length outside its memory. */
export class GuestMemoryRangeError extends WasmOperatorError {
  constructor(operator: string, ptr: number, length: number, memoryBytes: number) {
    super('GUEST_MEMORY_RANGE', `operator "${operator}" passed bytes ${ptr}..${ptr + length}, outside its ${memoryBytes}-byte memory`,
      { operator, ptr, length, memoryBytes });
  }
}

export type SnapshotErrorCode =
  | 'SNAPSHOT_CORRUPT'
  | 'SNAPSHOT_TRUNCATED'
  | 'SNAPSHOT_VERSION'
  | 'SNAPSHOT_WRONG_MODULE'
  | 'SNAPSHOT_BASE_MISSING'
  | 'SNAPSHOT_INCOMPATIBLE';

/** A snapshot that must not be restored. Nothing was restored from it: start the operator cold. */
export class SnapshotError extends WasmOperatorError {
  declare readonly code: SnapshotErrorCode;
  /** The problem alone, so a caller that knows more (operator, path) can restate it. */
  readonly detail: string;
  constructor(code: SnapshotErrorCode, detail: string, context: Record<string, unknown> = {}, cause?: unknown) {
    const where = [context.operator === undefined ? '' : ` of "${String(context.operator)}"`, context.path === undefined ? '' : ` at ${String(context.path)}`].join('');
    super(code, `snapshot${where} ${detail}; start the operator cold`, context, { cause });
    this.detail = detail;
  }

  /** The same error, with more context (the store adds operator and path to the codec's errors). */
  withContext(context: Record<string, unknown>): SnapshotError {
    return new SnapshotError(this.code, this.detail, { ...this.context, ...context }, this.cause);
  }
}

/** Writing a snapshot failed (disk full, permissions...). The previous snapshot, if any, is still intact. */
export class SnapshotWriteError extends WasmOperatorError {
  constructor(operator: string, path: string, cause: unknown) {
    super('SNAPSHOT_WRITE_FAILED', `could not write the snapshot of "${operator}" to ${path}; the previous snapshot is kept`, { operator, path }, { cause });
  }
}
