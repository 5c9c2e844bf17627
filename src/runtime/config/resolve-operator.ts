/**
 * What the host runs: a WasmOperator's spec laid over the manifest its module carries, with
 * built-in defaults last, and every setting parsed into numbers the runtime uses directly.
 */
import type { PolicyRule } from '../../abi/permissions/index.ts';
import { InvalidOperatorError } from '../errors.ts';
import type { IdlePolicySpec } from '../lifecycle/index.ts';
import type { OwnsRule, TriggerRule, WatchRule } from '../router/index.ts';
import { parseDuration } from './duration.ts';
import { parseIdlePolicy } from './idle-policy-spec.ts';
import { mergePatch } from './merge-patch.ts';
import { parseByteSize } from './quantity.ts';
import type { TriggerRuleSpec } from './rule-schemas.ts';
import { formatProblem, validate, type FieldProblem } from './schema/index.ts';
import { moduleManifest, type ModuleManifest, type ModuleSource, type WasmOperator } from './wasm-operator-schema.ts';

/** Settings nobody set: the host's own defaults (also documented in the field reference). */
export const builtInDefaults = { idlePolicy: 'adaptive', memoryLimit: '64Mi', reconcileTimeout: '10s' } as const;

/** One operator, resolved: everything the host needs, nothing left to default or parse. */
export interface OperatorSettings {
  namespace: string;
  name: string;
  module: ModuleSource;
  watches: WatchRule;
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
 * Lays `operator.spec` over `manifest` (both already validated). Precedence, highest first:
 * 1. The spec. `owns`, `triggers`, `permissions` and `args` replace the manifest's lists
 *    whole (so an administrator can narrow what a module asked for, never only add to it).
 *    `watches` overrides field by field, unless the spec names another kind or apiVersion, in
 *    which case the manifest's `watches` is ignored. `config` is a JSON merge patch over the
 *    manifest's, `env` merges by name.
 * 2. The manifest's `watches`, `owns`, `triggers`, `permissions` and `defaults`.
 * 3. `builtInDefaults`.
 * Throws InvalidOperatorError when no kind to watch is left, naming the operator.
 */
export function resolveOperator(operator: WasmOperator, manifest: ModuleManifest = {}): OperatorSettings {
  const { spec, metadata } = operator;
  const namespace = metadata.namespace ?? 'default';
  const defaults = manifest.defaults ?? {};
  const watches = mergeWatches(spec.watches, manifest.watches);
  if (watches === undefined) {
    const where = `${operator.kind} "${namespace}/${metadata.name}"`;
    throw new InvalidOperatorError(where, [`${where}: spec.watches.kind: Required value: neither the spec nor the module's manifest names the kind to watch`]);
  }
  const resync = spec.resyncPeriod ?? defaults.resyncPeriod;
  return {
    namespace,
    name: metadata.name,
    module: spec.module,
    watches,
    owns: spec.owns ?? manifest.owns ?? [],
    triggers: (spec.triggers ?? manifest.triggers ?? []).map(toTriggerRule),
    permissions: spec.permissions ?? manifest.permissions ?? [],
    config: mergePatch(defaults.config ?? {}, spec.config ?? {}) as Record<string, unknown>,
    args: spec.args ?? defaults.args ?? [],
    env: { ...defaults.env, ...spec.env },
    idlePolicy: parseIdlePolicy(spec.idlePolicy ?? defaults.idlePolicy ?? builtInDefaults.idlePolicy),
    memoryLimitBytes: parseByteSize(spec.memoryLimit ?? defaults.memoryLimit ?? builtInDefaults.memoryLimit),
    reconcileTimeoutMs: parseDuration(spec.reconcileTimeout ?? defaults.reconcileTimeout ?? builtInDefaults.reconcileTimeout),
    ...(resync === undefined ? {} : { resyncPeriodMs: parseDuration(resync) }),
  };
}

function mergeWatches(spec: WasmOperator['spec']['watches'], manifest: ModuleManifest['watches']): WatchRule | undefined {
  const sameKind =
    manifest !== undefined && (spec?.kind ?? manifest.kind) === manifest.kind && (spec?.apiVersion ?? manifest.apiVersion) === manifest.apiVersion;
  const merged = { ...(sameKind ? manifest : {}), ...spec };
  if (merged.apiVersion === undefined || merged.kind === undefined) return undefined;
  return { ...merged, apiVersion: merged.apiVersion, kind: merged.kind };
}

function toTriggerRule({ keyFrom, ...rest }: TriggerRuleSpec): TriggerRule {
  return { ...rest, keyFrom: keyFrom.label !== undefined ? { label: keyFrom.label } : { annotation: keyFrom.annotation! } };
}
