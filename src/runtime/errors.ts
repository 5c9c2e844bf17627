/**
 * The runtime's typed failures. Each has a stable `code`; the message names the thing and,
 * where the runtime goes on, says what happens next.
 */
import { WasmOperatorError } from '../errors.ts';

/** A lifecycle event that the operator's current phase does not allow: a bug in the caller. */
export class InvalidTransitionError extends WasmOperatorError {
  constructor(operator: string, phase: string, event: string, why?: string) {
    super(
      'INVALID_TRANSITION',
      `operator "${operator}" cannot take event "${event}" while ${phase}${why === undefined ? '' : ` (${why})`}; its phase is unchanged`,
      { operator, phase, event },
    );
  }
}

/** A work queue used against its contract (e.g. `done` for a key that is not being processed). */
export class QueueMisuseError extends WasmOperatorError {
  constructor(message: string, key: string) {
    super('QUEUE_MISUSE', message, { key });
  }
}

/** One value that does not parse: a quantity, a duration, an idle policy. */
export class InvalidValueError extends WasmOperatorError {
  readonly detail: string;

  constructor(what: string, value: string, detail: string) {
    super('INVALID_VALUE', `invalid ${what} "${value}": ${detail}`, { what, value });
    this.detail = detail;
  }
}

/**
 * A WasmOperator document, an operators file or a module manifest that fails validation.
 * `problems` holds one line per problem, each naming where it is (file:line, document,
 * operator) and the field; the message lists them all, so one round of fixes is enough.
 */
export class InvalidOperatorError extends WasmOperatorError {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], context: Record<string, unknown> = {}) {
    const message =
      problems.length === 1 ? problems[0]! : `${source}: ${problems.length} problems\n${problems.map((p) => `  ${p}`).join('\n')}`;
    super('INVALID_OPERATOR', message, { source, ...context });
    this.problems = problems;
  }
}
