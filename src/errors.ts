/**
 * The base of every failure wasm-operator reports.
 *
 * `code` is stable (callers and tests switch on it, logs and metrics carry it); the message
 * names the thing that failed and says what happens next; `context` holds the identifiers
 * (operator, object, module digest, path) as structured data so logs need not parse messages.
 */
export class WasmOperatorError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Bad input from a user: a flag, a file, a manifest. The message says what to change. */
export class UsageError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('USAGE', message, context);
  }
}

/** One line per cause, innermost last: what a log or a CLI prints for any error. */
export function describeError(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      lines.push(depth === 0 ? current.message : `caused by: ${current.message}`);
      current = current.cause;
    } else {
      lines.push(depth === 0 ? String(current) : `caused by: ${String(current)}`);
      current = undefined;
    }
  }
  return lines.join('\n');
}
