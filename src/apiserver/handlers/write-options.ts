/**
 * The query parameters of the writing verbs (dryRun, fieldManager, fieldValidation, force),
 * checked as kube-apiserver's ValidateCreateOptions, ValidateUpdateOptions and
 * ValidatePatchOptions check them: problems are a 422 naming `CreateOptions.meta.k8s.io`
 * (or Update/Patch) with one cause each.
 */
import { invalid, type ApiError } from '../http/api-error.ts';
import { forbidden, notSupported, required, tooLong, type FieldError } from '../field-error.ts';
import { goStringSlice } from '../go-format.ts';
import type { WriteOptions } from '../objects/resource-store.ts';
import type { FieldValidation } from '../schema-hooks.ts';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

export interface ParsedWriteOptions extends WriteOptions {
  /** The fieldManager parameter, or kube's default from the User-Agent. */
  manager: string;
  force: boolean;
}

const maxFieldManagerBytes = 128;

/** kube's dryRun check: only `All` is allowed (the value printed as Go's []string). */
export function dryRunErrors(values: readonly string[]): FieldError[] {
  if (values.every((v) => v === 'All')) return [];
  return [{ type: 'FieldValueNotSupported', field: 'dryRun', valueText: goStringSlice(values), detail: 'supported values: "All"' }];
}

function fieldManagerErrors(manager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(manager) > maxFieldManagerBytes) errors.push(tooLong('fieldManager', maxFieldManagerBytes));
  [...manager].forEach((ch, i) => {
    if (/\p{C}|\p{Zl}|\p{Zp}/u.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push({ type: 'FieldValueInvalid', field: 'fieldManager', value: manager, detail: `invalid character U+${code} (at position ${i})` });
    }
  });
  return errors;
}

/**
 * Parses and checks the write options of a request; throws kube's 422 for bad ones.
 * `patchType` is given for PATCH: `force` is only for apply, which needs a fieldManager.
 */
export function parseWriteOptions(kind: OptionsKind, query: URLSearchParams, userAgent: string | undefined, applyPatch = false): ParsedWriteOptions {
  const errors: FieldError[] = [];
  const explicitManager = query.get('fieldManager') ?? '';
  const force = query.get('force');
  if (kind === 'PatchOptions' && !applyPatch && force !== null) errors.push(forbidden('force', 'may not be specified for non-apply patch'));
  if (kind === 'PatchOptions' && applyPatch && explicitManager === '') errors.push(required('fieldManager', 'is required for apply patch'));
  errors.push(...fieldManagerErrors(explicitManager));
  const dryRun = query.getAll('dryRun');
  errors.push(...dryRunErrors(dryRun));
  const fieldValidation = query.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Strict', 'Warn'].includes(fieldValidation)) errors.push(notSupported('fieldValidation', fieldValidation, ['', 'Ignore', 'Strict', 'Warn']));
  if (errors.length > 0) throw optionsInvalid(kind, errors);
  return {
    dryRun: dryRun.length > 0,
    // kube's default is Warn for a client that sends nothing; kubectl sends Strict.
    fieldValidation: (fieldValidation === '' ? 'Warn' : fieldValidation) as FieldValidation,
    manager: explicitManager !== '' ? explicitManager : defaultFieldManager(userAgent),
    force: force === 'true',
  };
}

/** A 422 about request options (`ListOptions.meta.k8s.io "" is invalid: ...`). */
export function optionsInvalid(kind: string, errors: readonly FieldError[]): ApiError {
  return invalid(kind, 'meta.k8s.io', '', errors);
}

// kube uses the User-Agent up to the first '/', e.g. "kubectl" for "kubectl/v1.32.0 (linux/amd64)".
function defaultFieldManager(userAgent: string | undefined): string {
  const agent = (userAgent ?? '').split('/')[0]!.trim();
  return agent === '' ? 'unknown' : agent.slice(0, maxFieldManagerBytes);
}
