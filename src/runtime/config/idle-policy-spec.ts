/**
 * The idle policy as written in a WasmOperator (`never`, `immediate`, `adaptive`, `after:30s`).
 */
import { InvalidValueError } from '../errors.ts';
import type { IdlePolicySpec } from '../lifecycle/index.ts';
import { durationPattern, parseDuration } from './duration.ts';

/** The accepted spellings, for messages and docs. */
export const idlePolicyValues = ['never', 'immediate', 'adaptive', 'after:<duration>'] as const;

/** The grammar, also used as the CRD's pattern. */
export const idlePolicyPattern = `^(never|immediate|adaptive|after:${durationPattern.slice(1, -1)})$`;

/** Parses an idle policy; throws INVALID_VALUE listing the accepted spellings. */
export function parseIdlePolicy(text: string): IdlePolicySpec {
  switch (text) {
    case 'never':
    case 'immediate':
    case 'adaptive':
      return { kind: text };
  }
  if (text.startsWith('after:')) {
    const idleMs = parseDuration(text.slice('after:'.length));
    if (idleMs < 0) throw new InvalidValueError('idle policy', text, 'the idle time must not be negative');
    return { kind: 'after', idleMs };
  }
  throw new InvalidValueError('idle policy', text, `must be one of ${idlePolicyValues.map((v) => `"${v}"`).join(', ')}`);
}

