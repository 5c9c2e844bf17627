/**
 * A small schema language for the WasmOperator resource: one definition in TypeScript yields
 * the TypeScript type (`Infer`), a validator with field errors worded like kube-apiserver's
 * (`checkValue`), the CRD's structural openAPIV3Schema (`toOpenApi`) and the docs' field
 * reference (`fieldReference`). Written here rather than taken from a JSON-schema library
 * because the output must be a *structural* Kubernetes schema (with `x-kubernetes-*`
 * extensions and CEL rules) and the errors must read like the API server's; a generic
 * library gives neither, and would be loaded into the host's memory for four builders.
 */

/** One object-level rule, checked by the validator and, as CEL, by the API server. */
export interface ObjectRule {
  /** Shown when the rule fails, e.g. `sha256 is required with url`. */
  message: string;
  /** The same rule in CEL over `self`, for `x-kubernetes-validations`. */
  cel: string;
  holds(object: Readonly<Record<string, unknown>>): boolean;
}

interface Described {
  description: string;
}

/** A field's schema, as data; the interpreters (check, openapi, docs) switch on `type`. */
export type SchemaNode = Described &
  (
    | {
        type: 'string';
        enum?: readonly string[];
        pattern?: string;
        maxLength?: number;
        /** Docs label of the string's syntax, e.g. `duration`. */
        format?: string;
        /** A semantic check beyond the pattern: returns why the value is invalid, or undefined. */
        check?: (value: string) => string | undefined;
      }
    | { type: 'integer'; minimum?: number }
    | { type: 'boolean' }
    | { type: 'intOrString'; format?: string; check?: (value: string | number) => string | undefined }
    | { type: 'array'; items: SchemaNode; listType?: 'atomic' | 'set' | 'map'; listMapKeys?: readonly string[]; minItems?: number }
    | {
        type: 'object';
        fields: Readonly<Record<string, FieldNode>>;
        rules?: readonly ObjectRule[];
        exactlyOne?: readonly string[];
        /** A semantic check of the whole object, with no CRD form: returns why it is invalid, or undefined. */
        check?: (value: Readonly<Record<string, unknown>>) => string | undefined;
        /** Unknown fields are kept rather than refused (object metadata, which the server extends). */
        open?: boolean;
      }
    | { type: 'map'; values: SchemaNode }
    | { type: 'freeForm' }
  );

export interface FieldNode {
  node: SchemaNode;
  required: boolean;
}

/** A schema whose valid values have type `T` (a phantom: nothing is stored). */
export type Schema<T> = SchemaNode & { readonly __type?: T };

/** An object field that may be absent. */
export interface Optional<T> {
  readonly optional: Schema<T>;
}

// `any` here only lets every Schema<T> fit in a field list; Infer recovers each T.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FieldsIn = Record<string, Schema<any> | Optional<any>>;

/** The type of the values a schema accepts. */
export type Infer<S> = S extends Optional<infer T> ? T : S extends Schema<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The object type of a field list: `Optional` fields become optional properties. */
export type ObjectOf<F extends FieldsIn> = Simplify<
  { -readonly [K in keyof F as F[K] extends Optional<unknown> ? never : K]: Infer<F[K]> } & {
    -readonly [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: Infer<F[K]>;
  }
>;

type StringOptions = Omit<Extract<SchemaNode, { type: 'string' }>, 'type' | 'description' | 'enum'>;

export function string(description: string, options: StringOptions = {}): Schema<string> {
  return { type: 'string', description, ...options };
}

/** A string limited to `values` (an `enum` in the CRD). */
export function literal<const T extends string>(description: string, values: readonly T[]): Schema<T> {
  return { type: 'string', description, enum: values };
}

export function integer(description: string, options: { minimum?: number } = {}): Schema<number> {
  return { type: 'integer', description, ...options };
}

export function boolean(description: string): Schema<boolean> {
  return { type: 'boolean', description };
}

/** A value written either as a number or as a string (like a Kubernetes quantity). */
export function intOrString(
  description: string,
  options: { format?: string; check?: (value: string | number) => string | undefined } = {},
): Schema<string | number> {
  return { type: 'intOrString', description, ...options };
}

/** A list; `listType: 'map'` with `listMapKeys` makes those fields a unique key per item (like conditions' `type`). */
export function array<T>(
  description: string,
  items: Schema<T>,
  options: { listType?: 'atomic' | 'set' | 'map'; listMapKeys?: readonly string[]; minItems?: number } = {},
): Schema<T[]> {
  return { type: 'array', description, items, ...options };
}

/** String keys to values of one schema (`additionalProperties` in the CRD). */
export function map<T>(description: string, values: Schema<T>): Schema<Record<string, T>> {
  return { type: 'map', description, values };
}

/** Any JSON object, kept as given (`x-kubernetes-preserve-unknown-fields`). */
export function freeForm(description: string): Schema<{ [key: string]: unknown }> {
  return { type: 'freeForm', description };
}

export function optional<T>(schema: Schema<T>): Optional<T> {
  return { optional: schema };
}

/**
 * An object with exactly these fields (unknown fields are refused). `exactlyOne` names fields
 * of which exactly one must be set (a `oneOf` in the CRD); `rules` are further constraints.
 */
export function object<F extends FieldsIn>(
  description: string,
  fields: F,
  options: {
    exactlyOne?: readonly (keyof F & string)[];
    rules?: readonly ObjectRule[];
    check?: (value: Readonly<Record<string, unknown>>) => string | undefined;
    open?: boolean;
  } = {},
): Schema<ObjectOf<F>> {
  const nodes: Record<string, FieldNode> = {};
  for (const [name, field] of Object.entries(fields)) {
    nodes[name] = 'optional' in field ? { node: field.optional, required: false } : { node: field, required: true };
  }
  return { type: 'object', description, fields: nodes, ...options };
}

/** The same schema with another description (for a shared shape used in several places). */
export function describe<T>(schema: Schema<T>, description: string): Schema<T> {
  return { ...schema, description };
}
