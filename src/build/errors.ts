import { WasmOperatorError } from '../errors.ts';

/** A build that did not produce a module: compiler diagnostics, a missing tool, a bad entry. */
export class BuildError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('BUILD_FAILED', message, context, options);
  }
}

/** A manifest that cannot be embedded: the message names the file and the field. */
export class ManifestError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('MANIFEST_INVALID', message, context);
  }
}
