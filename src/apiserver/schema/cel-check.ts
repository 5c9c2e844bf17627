import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';

/** The parts of `@bufbuild/cel`'s parsed expression that the checks below read. */
export interface CelExpr {
  id: bigint;
  exprKind: { case: string | undefined; value?: unknown };
}

interface SelectValue { operand?: CelExpr; field: string }
interface CallValue { target?: CelExpr; function: string; args: CelExpr[] }
interface ConstValue { constantKind: { case: string | undefined } }

function children(e: CelExpr): CelExpr[] {
  const v = e.exprKind.value as Record<string, unknown> | undefined;
  switch (e.exprKind.case) {
    case 'selectExpr': return [(v as unknown as SelectValue).operand].filter((x): x is CelExpr => x !== undefined);
    case 'callExpr': {
      const c = v as unknown as CallValue;
      return [...(c.target === undefined ? [] : [c.target]), ...c.args];
    }
    case 'listExpr': return (v as { elements: CelExpr[] }).elements;
    case 'structExpr': return (v as { entries: { mapKey?: CelExpr; value?: CelExpr }[] }).entries.flatMap((en) => [en.mapKey, en.value]).filter((x): x is CelExpr => x !== undefined);
    case 'comprehensionExpr': {
      const c = v as Record<string, CelExpr | undefined>;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter((x): x is CelExpr => x !== undefined);
    }
    default: return [];
  }
}

/** True when the expression mentions the variable `name` (e.g. `oldSelf`: a transition rule). */
export function hasIdent(e: CelExpr, name: string): boolean {
  if (e.exprKind.case === 'identExpr' && (e.exprKind.value as { name: string }).name === name) return true;
  return children(e).some((c) => hasIdent(c, name));
}

type Resolved = { schema: JSONSchemaProps; resourceLike: boolean } | undefined;

// What rules see of an object's type meta: kube declares metadata with name and generateName only.
const typeMeta: Record<string, JSONSchemaProps> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
};

/**
 * The static checks kube-apiserver's CEL type-checker makes that users hit most: a field
 * that the schema does not declare (`undefined field 'replicas'`) and a rule whose result
 * cannot be a bool. Returns cel-go's error text with the source line and a caret, or
 * undefined when the rule passes. `positions` maps expression ids to source offsets;
 * `resourceLike` says `self` is a whole object (the schema root or an embedded resource).
 */
export function checkRuleExpression(e: CelExpr, source: string, schema: JSONSchemaProps, positions: Record<string, number> = {}, resourceLike = false): string | undefined {
  let problem: string | undefined;
  const resolve = (x: CelExpr): Resolved => {
    if (x.exprKind.case === 'identExpr') {
      const name = (x.exprKind.value as { name: string }).name;
      return name === 'self' || name === 'oldSelf' ? { schema, resourceLike } : undefined;
    }
    if (x.exprKind.case === 'selectExpr') {
      const sel = x.exprKind.value as SelectValue;
      const parent = sel.operand === undefined ? undefined : resolve(sel.operand);
      if (parent === undefined || problem !== undefined) return undefined;
      const s = parent.schema;
      if (parent.resourceLike && sel.field in typeMeta) return { schema: typeMeta[sel.field]!, resourceLike: false };
      const prop = s.properties?.[sel.field];
      if (prop !== undefined) return { schema: prop, resourceLike: false };
      const extra = additionalSchema(s);
      if (extra !== undefined) return { schema: extra, resourceLike: false };
      if (s.type === 'object' && !s['x-kubernetes-preserve-unknown-fields']) {
        let offset = positions[String(x.id)] ?? 0;
        // has(a.b) is positioned at `has`; cel-go points at the selection's dot
        if (source.startsWith('has', offset)) offset = Math.max(offset, source.indexOf(`.${sel.field}`, offset));
        problem = located(source, offset, `undefined field '${sel.field}'`);
      }
      return undefined;
    }
    if (x.exprKind.case === 'callExpr') {
      const call = x.exprKind.value as CallValue;
      if (call.function === '_[_]' && call.args.length === 2) {
        const parent = resolve(call.args[0]!);
        if (parent === undefined) return undefined;
        const inner = itemSchema(parent.schema) ?? additionalSchema(parent.schema);
        return inner === undefined ? undefined : { schema: inner, resourceLike: false };
      }
    }
    return undefined;
  };
  const visit = (x: CelExpr): void => {
    if (problem !== undefined) return;
    if (x.exprKind.case === 'selectExpr' || (x.exprKind.case === 'callExpr' && (x.exprKind.value as CallValue).function === '_[_]')) resolve(x);
    children(x).forEach(visit);
  };
  visit(e);
  if (problem !== undefined) return problem;
  if (!canBeBool(e, resolve)) return 'cel expression must evaluate to a bool';
  return undefined;
}

const nonBoolCalls = new Set(['_+_', '_-_', '_*_', '_/_', '_%_', '-_', 'size', 'string', 'int', 'double', 'uint']);

function canBeBool(e: CelExpr, resolve: (x: CelExpr) => Resolved): boolean {
  switch (e.exprKind.case) {
    case 'constExpr': return (e.exprKind.value as ConstValue).constantKind.case === 'boolValue';
    case 'listExpr':
    case 'structExpr': return false;
    case 'callExpr': return !nonBoolCalls.has((e.exprKind.value as CallValue).function);
    case 'selectExpr': {
      const r = resolve(e);
      return r === undefined || r.schema.type === undefined || r.schema.type === 'boolean';
    }
    default: return true;
  }
}

function located(source: string, offset: number, message: string): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${column}: ${message}\n | ${text}\n | ${'.'.repeat(column - 1)}^`;
}
