/** Query parameters shared by the writing verbs: dryRun, fieldManager, fieldValidation. */
import { badRequest } from '../http/api-error.ts';
import type { WriteOptions } from '../objects/resource-store.ts';
import type { FieldValidation } from '../schema-hooks.ts';

export function parseWriteOptions(query: URLSearchParams): WriteOptions {
  return { dryRun: parseDryRun(query.getAll('dryRun')), fieldValidation: parseFieldValidation(query.get('fieldValidation')) };
}

export function parseDryRun(values: readonly string[]): boolean {
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return values.length > 0;
}

/** kube's default is Warn for a client that sends nothing; kubectl sends Strict. */
function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", not ${JSON.stringify(value)}`);
}

/** The fieldManager query parameter, or kube's default derived from the User-Agent. */
export function fieldManagerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const explicit = query.get('fieldManager');
  if (explicit !== null && explicit !== '') {
    if (explicit.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return explicit;
  }
  // kube uses the User-Agent up to the first '/', e.g. "kubectl" for "kubectl/v1.32.0 (linux/amd64)".
  const agent = (userAgent ?? '').split('/')[0]!.trim();
  return agent === '' ? 'unknown' : agent.slice(0, 128);
}
