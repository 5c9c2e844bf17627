import type * as Cel from '@bufbuild/cel';
import type { CelEnv, CelError, CelResult } from '@bufbuild/cel';
import { childPath, forbidden, indexPath, invalid, keyPath, required, duplicate, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { kubernetesCelFunctions } from './cel-library.ts';
import { toCel, type CelWellKnown } from './cel-values.ts';
import { checkRuleExpression, hasIdent, type CelExpr } from './cel-check.ts';
import { deepEqual } from './validate-value.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps, type ValidationRule } from './json-schema-props.ts';

type Program = (bindings: Record<string, unknown>) => CelResult;

interface CompiledRule {
  rule: ValidationRule;
  program: Program;
  message?: Program;
  usesOldSelf: boolean;
  fieldPath: string;
}

interface CompiledNode {
  schema: JSONSchemaProps;
  rules: CompiledRule[];
  properties: Map<string, CompiledNode>;
  items?: CompiledNode;
  additional?: CompiledNode;
}

/**
 * A CRD version's compiled `x-kubernetes-validations` rules, ready to run on objects.
 * `validate` returns kube-apiserver's field errors: `spec: Invalid value: "object": <message>`
 * (or `failed rule: <rule>` without a message), on the rule's node or its `fieldPath`, with
 * its `reason`. Transition rules (those using `oldSelf`) run only on update, and only where
 * the old object has a value at the same place (same property, same map key, same
 * list-type=map key).
 */
export interface CelValidator {
  validate(object: JsonObject, oldObject?: JsonObject): FieldError[];
}

/** The outcome of compiling a schema's rules: the errors a CRD create/update must refuse. */
export interface CelCompilation {
  validator: CelValidator | undefined;
  errors: FieldError[];
}

/** True when any node of the schema declares a CEL rule (so the CEL library must load). */
export function hasCelRules(schema: JSONSchemaProps | undefined): boolean {
  if (schema === undefined) return false;
  if ((schema['x-kubernetes-validations'] ?? []).length > 0) return true;
  return Object.values(schema.properties ?? {}).some(hasCelRules) || hasCelRules(itemSchema(schema)) || hasCelRules(additionalSchema(schema));
}

/**
 * Compiles every rule of a structural schema. `schemaPath` names the schema in errors
 * (`spec.versions[0].schema.openAPIV3Schema`). Loads `@bufbuild/cel` on first use only, so
 * a server whose CRDs declare no rules never pays for it.
 */
export async function compileCelRules(schema: JSONSchemaProps, schemaPath: string): Promise<CelCompilation> {
  if (!hasCelRules(schema)) return { validator: undefined, errors: [] };
  return compileCelRulesWith(await loadCelRuntime(), schema, schemaPath);
}

/** The loaded CEL library and the function set kube's rules may call. */
export interface CelRuntime {
  cel: typeof Cel;
  env: CelEnv;
  wellKnown: CelWellKnown;
}

/** Loads `@bufbuild/cel` and builds kube's CEL environment; the first call pays the import. */
export async function loadCelRuntime(): Promise<CelRuntime> {
  const cel = await import('@bufbuild/cel');
  const { strings } = await import('@bufbuild/cel/ext');
  const { timestampFromDate, durationFromMs } = await import('@bufbuild/protobuf/wkt');
  const wellKnown: CelWellKnown = { timestamp: timestampFromDate, duration: durationFromMs };
  return { cel, env: cel.celEnv({ funcs: [...strings, ...kubernetesCelFunctions(cel)] }) as CelEnv, wellKnown };
}

/** {@link compileCelRules} with an already loaded runtime, synchronously. */
export function compileCelRulesWith(runtime: CelRuntime, schema: JSONSchemaProps, schemaPath: string): CelCompilation {
  if (!hasCelRules(schema)) return { validator: undefined, errors: [] };
  const { cel, env } = runtime;
  const errors: FieldError[] = [];
  const compileOne = (source: string): { program?: Program; expr?: CelExpr; positions?: Record<string, number>; error?: string } => {
    try {
      const parsed = cel.parse(source);
      const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
      return { program: cel.plan(env, parsed) as Program, expr: parsed.expr as unknown as CelExpr, positions };
    } catch (err) {
      return { error: syntaxError(source, (err as Error).message) };
    }
  };
  const compileNode = (s: JSONSchemaProps, path: string, isRoot = false): CompiledNode => {
    const rules: CompiledRule[] = [];
    (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
      const rulePath = `${path}.x-kubernetes-validations[${i}]`;
      if ((rule.rule ?? '').trim() === '') {
        errors.push(required(`${rulePath}.rule`, 'rule is not specified'));
        return;
      }
      const compiled = compileOne(rule.rule);
      const problem = compiled.error ?? checkRuleExpression(compiled.expr!, rule.rule, s, compiled.positions, isRoot || s['x-kubernetes-embedded-resource'] === true);
      if (problem !== undefined) {
        errors.push({ type: 'FieldValueInvalid', field: `${rulePath}.rule`, valueText: goValidationRule(rule), detail: `compilation failed: ${problem}` });
        return;
      }
      let message: Program | undefined;
      if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
        const m = compileOne(rule.messageExpression);
        if (m.error !== undefined) {
          errors.push({ type: 'FieldValueInvalid', field: `${rulePath}.messageExpression`, valueText: goValidationRule(rule), detail: `messageExpression compilation failed: ${m.error}` });
          return;
        }
        message = m.program;
      }
      const usesOldSelf = hasIdent(compiled.expr!, 'oldSelf');
      rules.push({ rule, program: compiled.program!, message, usesOldSelf, fieldPath: (rule.fieldPath ?? '').replace(/^\./, '') });
    });
    const node: CompiledNode = { schema: s, rules, properties: new Map() };
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      if (hasCelRules(prop)) node.properties.set(name, compileNode(prop, `${path}.properties[${name}]`));
    }
    const items = itemSchema(s);
    if (items !== undefined && hasCelRules(items)) node.items = compileNode(items, `${path}.items`);
    const extra = additionalSchema(s);
    if (extra !== undefined && hasCelRules(extra)) node.additional = compileNode(extra, `${path}.additionalProperties`);
    return node;
  };
  const root = compileNode(schema, schemaPath, true);
  if (errors.length > 0) return { validator: undefined, errors };
  return {
    validator: {
      validate(object, oldObject) {
        const out: FieldError[] = [];
        evaluate(root, object, oldObject, oldObject !== undefined, '', true, out, runtime.wellKnown);
        return out;
      },
    },
    errors,
  };
}

function evaluate(node: CompiledNode, value: JsonValue | undefined, old: JsonValue | undefined, hasOld: boolean, path: string, isRoot: boolean, out: FieldError[], wk: CelWellKnown): void {
  if (value === undefined || value === null) return;
  const s = node.schema;
  if (node.rules.length > 0) {
    const resourceLike = isRoot || s['x-kubernetes-embedded-resource'] === true;
    const self = toCel(value, s, resourceLike, wk);
    const oldSelf = hasOld && old !== undefined && old !== null ? toCel(old, s, resourceLike, wk) : undefined;
    // Ratcheting: a rule that does not look at oldSelf is not rechecked on an unchanged value.
    const unchanged = hasOld && old !== undefined && deepEqual(value, old);
    for (const compiled of node.rules) {
      if (compiled.usesOldSelf && oldSelf === undefined) continue;
      if (!compiled.usesOldSelf && unchanged) continue;
      const bindings: Record<string, unknown> = oldSelf === undefined ? { self } : { self, oldSelf };
      const errorPath = compiled.fieldPath === '' ? path : childPath(path, compiled.fieldPath);
      out.push(...ruleOutcome(compiled, compiled.program(bindings), bindings, errorPath, s.type ?? ''));
    }
  }
  if (Array.isArray(value)) {
    if (node.items === undefined) return;
    value.forEach((v, i) => {
      const match = correlatedItem(s, v, old);
      evaluate(node.items!, v, match, match !== undefined, indexPath(path, i), false, out, wk);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  const oldObject = hasOld && isJsonObject(old) ? old : undefined;
  for (const [name, child] of node.properties) {
    evaluate(child, value[name], oldObject?.[name], oldObject !== undefined && name in oldObject, childPath(path, name), false, out, wk);
  }
  if (node.additional !== undefined) {
    for (const [key, v] of Object.entries(value)) {
      if (s.properties?.[key] !== undefined) continue;
      evaluate(node.additional, v, oldObject?.[key], oldObject !== undefined && key in oldObject, keyPath(path, key), false, out, wk);
    }
  }
}

// Only list-type=map items have an identity across updates; other list items have no oldSelf.
function correlatedItem(s: JSONSchemaProps, item: JsonValue, old: JsonValue | undefined): JsonValue | undefined {
  if (s['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old) || !isJsonObject(item)) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  return old.find((o) => isJsonObject(o) && keys.every((k) => JSON.stringify(o[k]) === JSON.stringify(item[k])));
}

function ruleOutcome(compiled: CompiledRule, result: CelResult, bindings: Record<string, unknown>, path: string, typeName: string): FieldError[] {
  const { rule } = compiled;
  const field = path === '' ? '<nil>' : path;
  if (isError(result)) {
    return [invalid(field, typeName, `${celGoWording(result.message)} evaluating rule: ${ruleText(rule)}`)];
  }
  if (result === true) return [];
  if (result !== false) return [invalid(field, typeName, `rule did not evaluate to a bool: ${ruleText(rule)}`)];
  let message = rule.message !== undefined && rule.message !== '' ? rule.message : `failed rule: ${ruleText(rule)}`;
  if (compiled.message !== undefined) {
    const m = compiled.message(bindings);
    if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) message = m;
  }
  switch (rule.reason) {
    case 'FieldValueForbidden': return [forbidden(field, message)];
    case 'FieldValueRequired': return [required(field, message)];
    case 'FieldValueDuplicate': return [duplicate(field, typeName)];
    default: return [invalid(field, typeName, message)];
  }
}

function isError(result: CelResult): result is CelError {
  return result instanceof Error;
}

function ruleText(rule: ValidationRule): string {
  return (rule.message !== undefined && rule.message !== '' ? rule.message : rule.rule).trim();
}

// The runtime errors users see most, in cel-go's words rather than the JS library's.
function celGoWording(message: string): string {
  return message.replace(/^field not found: /, 'no such key: ').replace(/^int divide by zero$/, 'division by zero');
}

// cel-go reports a location and then the source line with a caret under the column.
function syntaxError(source: string, message: string): string {
  const m = /^<input>:(\d+):(\d+): (.*)$/s.exec(message);
  if (m === null) return `ERROR: <input>:1:1: Syntax error: ${message}`;
  const line = source.split('\n')[Number(m[1]) - 1] ?? '';
  return `ERROR: <input>:${m[1]}:${m[2]}: Syntax error: ${m[3]}\n | ${line}\n | ${'.'.repeat(Math.max(0, Number(m[2]) - 1))}^`;
}

/** A rule as kube-apiserver prints it in compile errors: Go syntax of its internal struct. */
function goValidationRule(rule: ValidationRule): string {
  const q = (s: string | undefined): string => JSON.stringify(s ?? '');
  const reason = rule.reason === undefined ? '(*apiextensions.FieldValueErrorReason)(nil)' : `(*apiextensions.FieldValueErrorReason)(${q(rule.reason)})`;
  const optional = rule.optionalOldSelf === undefined ? '(*bool)(nil)' : `(*bool)(${rule.optionalOldSelf})`;
  return `apiextensions.ValidationRule{Rule:${q(rule.rule)}, Message:${q(rule.message)}, MessageExpression:${q(rule.messageExpression)}, Reason:${reason}, FieldPath:${q(rule.fieldPath)}, OptionalOldSelf:${optional}}`;
}
