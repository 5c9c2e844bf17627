/**
 * OpenAPI v2 (`/openapi/v2`), which kubectl up to 1.28 (and older clients) read to decide that
 * the server validates fields (the `fieldValidation` parameter on a kind's PATCH), to find
 * custom resources' schemas (client-side validation before 1.25, `kubectl explain` before
 * 1.27), and which it asks for in protobuf only.
 *
 * As in the v3 documents, built-in kinds have paths but no schemas: kubectl then computes
 * strategic merge patches of built-ins from its compiled-in types (which know every list's
 * merge key) and validates them on the server. Custom resources get their CRD's schema in
 * the v2 form kube publishes (see `toOpenApiV2Schema`).
 */
import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { groupVersionPath, type ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import { kubernetesVersion } from './version.ts';

/** The document as JSON, its ETag, and its protobuf encoding (computed on first use). */
export interface OpenApiV2Document {
  json: string;
  etag: string;
  proto(): Promise<Uint8Array>;
}

export class OpenApiV2 {
  readonly #registry: TypeRegistry;
  readonly #patchTypes: (type: ResourceType) => string[];
  #generation = -1;
  #doc: OpenApiV2Document | undefined;

  constructor(registry: TypeRegistry, patchTypes: (type: ResourceType) => string[]) {
    this.#registry = registry;
    this.#patchTypes = patchTypes;
  }

  /** The current document; rebuilt only when the served types change. */
  document(): OpenApiV2Document {
    if (this.#doc === undefined || this.#generation !== this.#registry.generation) {
      const doc = this.#build();
      const json = JSON.stringify(doc);
      let proto: Promise<Uint8Array> | undefined;
      this.#doc = {
        json,
        etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`,
        proto: () => (proto ??= import('../protobuf/openapi-v2-proto.ts').then((m) => m.encodeOpenApiV2(doc))),
      };
      this.#generation = this.#registry.generation;
    }
    return this.#doc;
  }

  #build(): JsonObject {
    const paths: JsonObject = {};
    const definitions: JsonObject = {};
    for (const type of this.#registry.all()) {
      Object.assign(paths, this.#paths(type));
      const schema = customResourceSchema(type);
      if (schema !== undefined) definitions[definitionName(type)] = schema;
    }
    return {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: kubernetesVersion.gitVersion },
      paths,
      definitions,
      securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
    };
  }

  #paths(type: ResourceType): JsonObject {
    const base = groupVersionPath(type.group, type.version);
    const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.resource}` : `${base}/${type.resource}`;
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    const schema: JsonObject = type.crd !== undefined ? { $ref: `#/definitions/${definitionName(type)}` } : { type: 'object' };
    const produces = ['application/json', 'application/yaml'];
    const op = (action: string, params: JsonObject[], consumes: string[] = ['*/*']): JsonObject => ({
      consumes,
      produces,
      schemes: ['https'],
      operationId: `${action}${type.kind}`,
      parameters: params,
      responses: { '200': { description: 'OK', schema }, '401': { description: 'Unauthorized' } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const body: JsonObject = { name: 'body', in: 'body', required: true, schema };
    const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'].map(queryParam);
    const listParams = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'].map(queryParam);
    const common: JsonValue[] = [
      { name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true, description: `name of the ${type.kind}` },
      ...(type.namespaced ? [namespaceParam] : []),
      queryParam('pretty'),
    ];
    const item: JsonObject = {
      get: op('get', []),
      put: op('put', [body, ...writeParams]),
      patch: op('patch', [{ ...body, schema: { type: 'object' } }, ...writeParams, queryParam('force')], this.#patchTypes(type)),
      delete: op('delete', [{ name: 'body', in: 'body', schema: { type: 'object' } }, ...['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'].map(queryParam)]),
      parameters: common,
    };
    const paths: JsonObject = {
      [collection]: {
        get: op('list', listParams),
        post: op('post', [body, ...writeParams]),
        delete: op('deletecollection', listParams),
        parameters: [...(type.namespaced ? [namespaceParam] : []), queryParam('pretty')],
      },
      [`${collection}/{name}`]: item,
    };
    if (type.statusSubresource) paths[`${collection}/{name}/status`] = { get: item.get!, put: item.put!, patch: item.patch!, parameters: common };
    return paths;
  }
}

const namespaceParam: JsonObject = { name: 'namespace', in: 'path', required: true, type: 'string', uniqueItems: true, description: 'object name and auth scope, such as for teams and projects' };

function queryParam(name: string): JsonObject {
  const integer = name === 'limit' || name === 'timeoutSeconds' || name === 'gracePeriodSeconds';
  const boolean = name === 'allowWatchBookmarks' || name === 'watch' || name === 'sendInitialEvents' || name === 'force' || name === 'orphanDependents';
  return { name, in: 'query', type: integer ? 'integer' : boolean ? 'boolean' : 'string', uniqueItems: true };
}

function definitionName(type: ResourceType): string {
  return `${type.group.split('.').reverse().join('.')}.${type.version}.${type.kind}`;
}

function customResourceSchema(type: ResourceType): JsonObject | undefined {
  const schema = type.crd === undefined ? undefined : (type.crd.version.schema as JsonObject | undefined)?.openAPIV3Schema;
  if (!isJsonObject(schema)) return undefined;
  const v2 = toOpenApiV2Schema(schema);
  const properties = isJsonObject(v2.properties) ? v2.properties : undefined;
  const typeMeta: JsonObject = {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { type: 'object', description: "Standard object's metadata." },
  };
  return {
    ...v2,
    ...(properties === undefined && v2['x-kubernetes-preserve-unknown-fields'] === true ? {} : { properties: { ...properties, ...typeMeta } }),
    'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }],
  };
}

/**
 * A CRD's structural v3 schema as kube publishes it in v2 (apiextensions'
 * ToStructuralOpenAPIV2): no `oneOf`/`anyOf`/`not`/`allOf` or CEL rules, no `nullable` (a
 * nullable or int-or-string value loses its type), and no `properties` or `items` under
 * `nullable` or `x-kubernetes-preserve-unknown-fields`, where kubectl's client-side
 * validation would otherwise reject what the server accepts.
 */
export function toOpenApiV2Schema(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'oneOf' || k === 'anyOf' || k === 'not' || k === 'allOf' || k === 'nullable' || k === 'x-kubernetes-validations') continue;
    out[k] = v;
  }
  const untyped = schema.nullable === true || schema['x-kubernetes-int-or-string'] === true;
  if (untyped) delete out.type;
  if (schema.nullable === true || schema['x-kubernetes-preserve-unknown-fields'] === true) {
    delete out.properties;
    delete out.items;
  }
  if (isJsonObject(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, isJsonObject(v) ? toOpenApiV2Schema(v) : v]));
  }
  if (isJsonObject(out.items)) out.items = toOpenApiV2Schema(out.items);
  if (isJsonObject(out.additionalProperties)) out.additionalProperties = toOpenApiV2Schema(out.additionalProperties);
  return out;
}
