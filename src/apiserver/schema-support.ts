/**
 * Schema-aware behaviour for the embedded API server, behind one object the server holds:
 * custom resources validated, pruned and defaulted from their CRD's openAPIV3Schema (CEL
 * rules included), built-ins validated by their own rules, the status subresource rule, and
 * the Table columns `kubectl get` prints. The server stays schemaless and calls these hooks;
 * everything here is pure apart from the CEL library loading on first use.
 */
import type { FieldError } from './field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';
import { cloneJson } from './json-members.ts';
import type { ResourceType } from './registry/resource-type.ts';
import { defaultBuiltin } from './defaulting/builtin-defaults.ts';
import type { AdmissionRequest, AdmissionResult, SchemaHooks, TableRows } from './schema-hooks.ts';
import {
  applyStatusSubresource, compileCelRulesWith, decodeCustomResource, defaultOnRead, hasCelRules, loadCelRuntime, unknownFieldOutcome,
  validateCrdVersions, validateCustomResource, versionSchema, type CelRuntime, type CustomResourceVersion,
} from './schema/index.ts';
import { builtinPrinter, customResourcePrinter, type PrinterColumn, type TablePrinter } from './table/index.ts';
import { pruneBuiltinUnknownFields, validateBuiltin } from './validation/index.ts';

/** The facts about a served resource these hooks read (a subset of the server's ResourceType). */
export type SchemaTarget = Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind' | 'namespaced' | 'statusSubresource' | 'crd'>;

/** A write about to happen (the server's AdmissionRequest, for any SchemaTarget). */
export type WriteRequest = Omit<AdmissionRequest, 'type'> & { type: SchemaTarget };

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

/**
 * Schema hooks for one server instance; it caches compiled CRD versions. `admit` answers
 * `allowed` (store this object), `invalid` (422 with these causes) or `badRequest` (400:
 * fieldValidation=Strict met unknown fields); warnings go out as `Warning: 299 - "..."`.
 */
export class SchemaSupport implements SchemaHooks {
  #cel: CelRuntime | undefined;
  readonly #versions = new Map<string, { source: string; version: CustomResourceVersion }>();

  /**
   * The checks of a CRD create or update that need its schemas (structural rules, defaults,
   * CEL compilation, printer columns). The server's own CRD checks (names, scope, storage
   * version) run beside these. Loads the CEL library if any version declares rules.
   */
  async validateCrd(crd: JsonObject): Promise<FieldError[]> {
    return validateCrdVersions(crd);
  }

  /**
   * Compiles a stored CRD's versions for `admit`. Call it after a CRD is created or updated
   * and for every stored CRD at startup, before serving its resources: `admit` is
   * synchronous and refuses writes to a version whose rules were never compiled.
   */
  async prepareCrd(crd: JsonObject): Promise<void> {
    const versions = Array.isArray(obj(crd.spec).versions) ? (obj(crd.spec).versions as JsonValue[]).map(obj) : [];
    if (versions.some((v) => hasCelRules(versionSchema(v))) && this.#cel === undefined) this.#cel = await loadCelRuntime();
    for (const v of versions) this.#versionFor(crd, v);
  }

  /** Drops the compiled versions of a deleted CRD. */
  forgetCrd(crdName: string): void {
    for (const key of [...this.#versions.keys()]) if (key.startsWith(`${crdName}/`)) this.#versions.delete(key);
  }

  #versionFor(crd: JsonObject, version: JsonObject): CustomResourceVersion | FieldError {
    const meta = obj(crd.metadata);
    const key = `${String(meta.name ?? '')}/${String(version.name ?? '')}`;
    // A CRD's uid and resourceVersion change whenever its schema can have changed; without
    // them (a CRD not stored yet) the schema text itself tells.
    const schema = versionSchema(version) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const source = typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '' ? `${String(meta.uid ?? '')}@${meta.resourceVersion}` : JSON.stringify(schema);
    const cached = this.#versions.get(key);
    if (cached !== undefined && cached.source === source) return cached.version;
    if (hasCelRules(schema) && this.#cel === undefined) {
      return { type: 'InternalError', field: '<nil>', detail: `validation rules of ${key} are not compiled yet; the server must call prepareCrd first` };
    }
    const spec = obj(crd.spec);
    const compiled = this.#cel === undefined ? undefined : compileCelRulesWith(this.#cel, schema, 'openAPIV3Schema').validator;
    const result: CustomResourceVersion = {
      apiVersion: `${String(spec.group ?? '')}/${String(version.name ?? '')}`,
      kind: String(obj(spec.names).kind ?? ''),
      namespaced: spec.scope !== 'Cluster',
      schema,
      ...(compiled === undefined ? {} : { cel: compiled }),
    };
    this.#versions.set(key, { source, version: result });
    return result;
  }

  /**
   * Checks and completes an object before it is written; never throws for bad input. In
   * order: the status subresource rule, pruning of unknown fields (with the fieldValidation
   * verdict), defaulting (built-ins here, custom resources inside their validation), validation. Call it after the server's own
   * create/update strategy (generated names, a pod's initial status) and before storing.
   */
  admit(request: WriteRequest): AdmissionResult {
    const { type } = request;
    const target = request.subresource === 'status' ? 'status' : 'main';
    // A built-in's create strategy sets its own initial status (a pod's Pending phase), so
    // the status rule applies to built-ins on update only.
    const builtin = type.crd === undefined;
    const object = builtin && request.operation === 'create'
      ? cloneJson(request.object)
      : applyStatusSubresource(target, request.object, request.oldObject, { statusSubresource: type.statusSubresource, builtin });
    let version: CustomResourceVersion | undefined;
    let unknown: string[];
    if (type.crd === undefined) {
      unknown = pruneBuiltinUnknownFields({ group: type.group, resource: type.resource }, object);
    } else {
      const found = this.#versionFor(type.crd.definition, type.crd.version);
      if (!('schema' in found)) return { kind: 'invalid', errors: [found], warnings: [] };
      version = found;
      unknown = decodeCustomResource(object, version.schema);
    }
    const outcome = unknownFieldOutcome(unknown, request.fieldValidation, type.kind, type.version);
    if (outcome.kind === 'reject') return { kind: 'badRequest', message: outcome.message, warnings: [] };
    if (version === undefined) defaultBuiltin(type.group, type.resource, object);
    const warnings = outcome.kind === 'warn' ? outcome.warnings : [];
    const errors = version === undefined
      ? validateBuiltin({ group: type.group, resource: type.resource }, object, request.oldObject)
      : validateCustomResource(object, request.oldObject, version);
    return errors.length > 0 ? { kind: 'invalid', errors, warnings } : { kind: 'allowed', object, warnings };
  }

  /** A stored custom resource with the schema's current defaults, as reads return it. */
  onRead(type: SchemaTarget, object: JsonObject): JsonObject {
    const schema = type.crd === undefined ? undefined : versionSchema(type.crd.version);
    return schema === undefined ? object : defaultOnRead(object, schema);
  }

  /** The printer for a resource: the CRD's printer columns, or the built-in's kubectl columns. */
  printer(type: SchemaTarget): TablePrinter {
    if (type.crd === undefined) return builtinPrinter(type.group, type.resource);
    const columns = type.crd.version.additionalPrinterColumns;
    return customResourcePrinter(Array.isArray(columns) ? (columns as unknown as PrinterColumn[]) : undefined);
  }

  /** Columns and cells for the server's Table convertor. */
  table(type: SchemaTarget, objects: readonly JsonObject[], now: Date): TableRows {
    const printer = this.printer(type);
    return { columnDefinitions: printer.columns, cells: objects.map((o) => printer.cells(o, now.getTime())) };
  }
}
