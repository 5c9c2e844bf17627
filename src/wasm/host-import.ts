import type { ImportSpec } from './module-checks.ts';

/**
 * A function the host gives a guest. `fn` receives the guest's arguments (numbers, bigints
 * for i64) and returns its result.
 *
 * `suspending: true` means `fn` returns a promise (a network call, a timer): the guest is
 * suspended (JSPI) until it settles while every other instance keeps running, and the guest
 * sees the settled value as an ordinary return value. If `fn` throws or its promise rejects,
 * the guest's stack is unwound and the call fails with HostFunctionError: a host function
 * that wants the guest to handle a failure returns an error code instead of throwing.
 */
export interface HostImport extends ImportSpec {
  fn: (...args: never[]) => unknown;
  suspending: boolean;
}
