/** Why the rewriter refused a module; the module loader turns it into a ModuleError naming the module. */
export type RejectionCode = 'MODULE_UNSUPPORTED' | 'MODULE_TABLE_MUTABLE' | 'MODULE_MEMORY_TOO_LARGE';

export class RewriteRejection extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, message: string) {
    super(message);
    this.name = 'RewriteRejection';
    this.code = code;
  }
}
