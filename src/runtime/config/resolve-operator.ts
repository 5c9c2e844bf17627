/**
 * What the host runs: a WasmOperator's spec laid over the manifest its module carries, with
 * built-in defaults last, and every setting parsed into numbers the runtime uses directly.
 */
import type { PolicyRule } from '../../abi/index.ts';
import { InvalidOperatorError } from '../errors.ts';
import type { IdlePolicySpec } from '../lifecycle/index.ts';
import type { OwnsRule, TriggerRule, WatchRule } from '../router/index.ts';
import { parseDuration } from './duration.ts';
import { parseIdlePolicy } from './idle-policy-spec.ts';
import { mergePatch } from './merge-patch.ts';
import { parseByteSize } from './quantity.ts';
import type { TriggerRuleSpec } from './rule-schemas.ts';
import { formatProblem, validate, type FieldProblem } from './schema/index.ts';
import { moduleManifest, wasmOperatorSchema, type ModuleManifest, type ModuleSource, type WasmOperator } from './wasm-operator-schema.ts';

/** Settings nobody set: the host's own defaults (also documented in the field reference). */
export const builtInDefaults = { idlePolicy: 'adaptive', memoryLimit: '64Mi', reconcileTimeout: '10s' } as const;

/** One operator, resolved: everything the host needs, nothing left to default or parse. */
export interface OperatorSettings {
  namespace: string;
  name: string;
  module: ModuleSource;
  watches: WatchRule[];
  owns: OwnsRule[];
  triggers: TriggerRule[];
  permissions: PolicyRule[];
  config: Record<string, unknown>;
  args: string[];
  env: Record<string, string>;
  idlePolicy: IdlePolicySpec;
  memoryLimitBytes: number;
  reconcileTimeoutMs: number;
  resyncPeriodMs?: number;
  /** The ServiceAccount (in `namespace`) whose identity the guest's API calls are sent with. */
  serviceAccountName?: string;
}

/**
 * Validates a module's embedded manifest (JSON text); `source` names the module and section in
 * errors. Throws InvalidOperatorError listing every problem.
 */
export function parseModuleManifest(json: string, source: string): ModuleManifest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new InvalidOperatorError(source, [`${source}: manifest is not valid JSON: ${(err as Error).message}`]);
  }
  const problems: FieldProblem[] = [];
  const manifest = validate(moduleManifest, value, [], problems);
  if (manifest === undefined) throw new InvalidOperatorError(source, problems.map((p) => `${source}: manifest ${formatProblem(p)}`));
  return manifest;
}

/**
 * Validates one WasmOperator object as read from the API server (its `status` is ignored:
 * the host writes it, and an older host may have written fields this one does not know).
 * `source` names it in errors. Throws InvalidOperatorError listing every problem.
 */
export function parseWasmOperator(value: Readonly<Record<string, unknown>>, source: string): WasmOperator {
  const { status: _status, ...object } = value;
  const problems: FieldProblem[] = [];
  const operator = validate(wasmOperatorSchema, object, [], problems);
  if (operator === undefined) throw new InvalidOperatorError(source, problems.map((p) => `${source}: ${formatProblem(p)}`));
  return operator;
}

/**
 * Lays `operator.spec` over `manifest` (both already validated), field by field. Precedence,
 * highest first:
 * 1. The spec. Every list (`watches`, `owns`, `triggers`, `permissions`, `args`) replaces the
 *    manifest's whole, so an administrator can narrow what a module asked for and a module can
 *    never add to what its WasmOperator grants. `config` is a JSON merge patch over the
 *    manifest's; `env` merges by variable name.
 * 2. The manifest.
 * 3. `builtInDefaults`.
 * Throws InvalidOperatorError, naming the operator, when no kind is watched or a trigger
 * targets a kind that is not watched.
 */
export function resolveOperator(operator: WasmOperator, manifest: ModuleManifest = {}): OperatorSettings {
  const { spec, metadata } = operator;
  const namespace = metadata.namespace ?? 'default';
  const where = `${operator.kind} "${namespace}/${metadata.name}"`;
  const watches = spec.watches ?? manifest.watches ?? [];
  const problems: string[] = [];
  if (watches.length === 0) problems.push(`${where}: spec.watches: Required value: neither the spec nor the module's manifest names a kind to watch`);
  const triggers = (spec.triggers ?? manifest.triggers ?? []).map(toTriggerRule);
  triggers.forEach((t, i) => {
    if (t.target !== undefined && !watches.some((w) => w.apiVersion === t.target!.apiVersion && w.kind === t.target!.kind)) {
      problems.push(`${where}: spec.triggers[${i}].target: Invalid value: "${t.target.kind} (${t.target.apiVersion})": not one of the watched kinds`);
    }
  });
  if (problems.length > 0) throw new InvalidOperatorError(where, problems);
  const setting = <F extends 'idlePolicy' | 'memoryLimit' | 'reconcileTimeout' | 'resyncPeriod'>(field: F) => spec[field] ?? manifest[field];
  const resync = setting('resyncPeriod');
  return {
    namespace,
    name: metadata.name,
    module: spec.module,
    watches,
    owns: spec.owns ?? manifest.owns ?? [],
    triggers,
    permissions: spec.permissions ?? manifest.permissions ?? [],
    config: mergePatch(manifest.config ?? {}, spec.config ?? {}) as Record<string, unknown>,
    args: spec.args ?? manifest.args ?? [],
    env: { ...manifest.env, ...spec.env },
    idlePolicy: parseIdlePolicy(setting('idlePolicy') ?? builtInDefaults.idlePolicy),
    memoryLimitBytes: parseByteSize(setting('memoryLimit') ?? builtInDefaults.memoryLimit),
    reconcileTimeoutMs: parseDuration(setting('reconcileTimeout') ?? builtInDefaults.reconcileTimeout),
    ...(resync === undefined ? {} : { resyncPeriodMs: parseDuration(resync) }),
    ...(spec.serviceAccountName === undefined ? {} : { serviceAccountName: spec.serviceAccountName }),
  };
}

function toTriggerRule({ keyFrom, ...rest }: TriggerRuleSpec): TriggerRule {
  return { ...rest, keyFrom: keyFrom.label !== undefined ? { label: keyFrom.label } : { annotation: keyFrom.annotation! } };
}
