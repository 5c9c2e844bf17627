import { WasmOperatorError } from '../errors.ts';

/** A guest did not build: the message names it and carries the compiler's diagnostics. */
export class GuestBuildError extends WasmOperatorError {
  constructor(guest: string, problem: string, cause?: unknown) {
    super('GUEST_BUILD_FAILED', `guest ${guest} ${problem}`, { guest }, { cause });
  }
}
