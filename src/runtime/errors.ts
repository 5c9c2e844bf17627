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

/** A label selector that does not parse or names an invalid key or value. */
export class LabelSelectorError extends WasmOperatorError {
  constructor(selector: string, problem: string) {
    super('INVALID_LABEL_SELECTOR', `label selector "${selector}": ${problem}`, { selector });
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
